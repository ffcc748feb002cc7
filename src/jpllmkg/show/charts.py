"""Charts of saved-query answers (matplotlib): bars per year, for the questions whose answer is a
count over time. Each chart names the saved query it draws, so the chart and the table agree."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from jpllmkg.errors import UsageError
from jpllmkg.query.query_layer import QueryLayer
from jpllmkg.shared import atomic_write
from jpllmkg.show.catalogue import CHARTS, ChartKind
from jpllmkg.show.pictures import figure_bytes


def chart_series(
    graph: QueryLayer, chart: ChartKind
) -> tuple[list[str], dict[str, list[int]], list[int]]:
    """The years, the count per approach and year, and the foreign-base count per year."""
    result = graph.query(chart.query)
    years = sorted({str(row["year"]) for row in result.rows})
    counts: dict[str, list[int]] = {}
    foreign = [0] * len(years)
    for row in result.rows:
        index = years.index(str(row["year"]))
        counts.setdefault(str(row["approach"]), [0] * len(years))[index] += int(row["models"])
        foreign[index] += int(row["foreignBase"])
    return years, dict(sorted(counts.items())), foreign


def render_chart(
    graph: QueryLayer,
    name: str,
    fmt: str = "png",
    lang: str = "en",
    font_dirs: Sequence[str | Path] | None = None,
) -> bytes:
    """The chart ``name`` (one of CHARTS) as PNG or SVG bytes."""
    if name not in CHARTS:
        raise UsageError(f"no chart {name!r}; the charts are: {', '.join(CHARTS)}.")
    chart = CHARTS[name]
    years, counts, foreign = chart_series(graph, chart)

    def draw():
        from matplotlib.figure import Figure

        fig = Figure(figsize=(9, 5))
        ax = fig.subplots()
        bottom = [0] * len(years)
        for approach, values in counts.items():
            ax.bar(years, values, bottom=bottom, label=approach)
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        ax.plot(years, foreign, color="black", marker="o", label=chart.text("line_label", lang))
        ax.set_title(chart.text("title", lang))
        ax.set_ylabel(chart.text("y_label", lang))
        ax.legend(fontsize="small", loc="upper left")
        fig.tight_layout()
        return fig

    return figure_bytes(draw, [chart.text("title", lang), *counts], fmt, font_dirs)


def write_chart(graph: QueryLayer, name: str, path: str | Path, fmt: str, lang: str = "en") -> None:
    """Draw the chart and write it to ``path`` atomically."""
    atomic_write(path, render_chart(graph, name, fmt, lang))
