"""The views there are (each one's name, titles, what it shows, whether it needs a focus and
whether the site draws it) and the charts (each one's saved query and titles). Light (no RDF
imports), so `jpllmkg viz --help` lists the views
without loading anything; :mod:`jpllmkg.show.views` builds them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ViewKind:
    """One view. Texts are (English, Japanese); an ego title names its focus as ``{label}``."""

    name: str
    title: tuple[str, str]
    heading: tuple[str, str]  # the short name on the site's index card
    about: tuple[str, str]  # what it shows: the help of `jpllmkg viz` and the site's card
    needs_focus: bool = False
    on_site: bool = True

    def text(self, field: str, lang: str) -> str:
        """The ``title``, ``heading`` or ``about`` text in ``lang`` (en or ja)."""
        return getattr(self, field)[lang == "ja"]


VIEWS: dict[str, ViewKind] = {
    view.name: view
    for view in (
        ViewKind(
            "ecosystem",
            ("Japan's domestic LLM ecosystem", "国産LLMエコシステム"),
            ("Ecosystem", "エコシステム"),
            (
                "Organizations, models, platforms, deployments, funding and policy.",
                "組織・モデル・プラットフォーム・導入・支援・政策の関係。",
            ),
        ),
        ViewKind(
            "lineage",
            (
                "Model lineage: base models, versions and families",
                "モデルの系譜（ベース・版・系列）",
            ),
            ("Model lineage", "モデルの系譜"),
            (
                "Models with base-model, next-version and family links; domestic vs foreign.",
                "ベースモデル・次の版・系列でつないだモデル（国産か海外か）。",
            ),
        ),
        ViewKind(
            "adoption",
            ("Adoption: who deploys which model, by sector and status", "導入事例（分野・状況別）"),
            ("Adoption", "導入"),
            (
                "Deployments with their adopters, partners, models, platforms and sectors.",
                "導入事例と導入者・協力者・モデル・プラットフォーム・分野。",
            ),
        ),
        ViewKind(
            "ego",
            ("Neighbourhood of {label}", "{label} の周辺"),
            ("Neighbourhood", "周辺"),
            (
                "Any entity and its neighbourhood to --depth steps, both ways (needs --focus).",
                "任意のエンティティと、その --depth 段までの周辺（両方向、--focus が必要）。",
            ),
            needs_focus=True,
            on_site=False,
        ),
    )
}


def views_help() -> str:
    """The list of views for `jpllmkg viz --help`: one line each."""
    width = max(len(name) for name in VIEWS)
    return "\n".join(
        f"  {view.name:<{width}}  {view.text('about', 'en')}" for view in VIEWS.values()
    )


@dataclass(frozen=True)
class ChartKind:
    """One chart: the saved query it draws and its titles (English, Japanese)."""

    name: str
    query: str
    title: tuple[str, str]
    y_label: tuple[str, str]
    line_label: tuple[str, str]

    def text(self, field: str, lang: str) -> str:
        return getattr(self, field)[lang == "ja"]


CHARTS: dict[str, ChartKind] = {
    chart.name: chart
    for chart in (
        ChartKind(
            "models-per-year",
            "models-per-year",
            (
                "Japanese LLMs per year by development approach",
                "年別・開発手法別の日本語 LLM",
            ),
            ("models", "モデル数"),
            ("rest on a foreign base model", "海外ベースモデルに基づくもの"),
        ),
    )
}
