"""Static pictures (jpllmkg.show.pictures, `jpllmkg viz --format png|svg`) with Japanese labels."""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest
from conftest import REPO

from jpllmkg.errors import UsageError
from jpllmkg.show.pictures import FONT_ENV, find_cjk_font, render_picture, write_picture
from jpllmkg.show.views import build_view

ROOT = ("--root", str(REPO))
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
WARNING = "jpllmkg: warning: no font with Japanese glyphs was found"


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the PNG's IHDR chunk."""
    assert data[:8] == PNG_SIGNATURE and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def lineage_ja(kg):
    return build_view(kg, "lineage", lang="ja")


def test_the_packaged_cjk_font_is_found():
    font = find_cjk_font()
    assert font is not None and font.is_file()
    assert "NotoSansCJK" in font.name  # the noto-cjk-sans-jp-regular dependency


def test_an_empty_font_folder_finds_no_font(tmp_path, monkeypatch):
    assert find_cjk_font([tmp_path]) is None
    monkeypatch.setenv(FONT_ENV, str(tmp_path))
    assert find_cjk_font() is None


def test_a_font_folder_holding_a_cjk_font_is_searched(tmp_path, monkeypatch):
    font = find_cjk_font()
    (tmp_path / "fonts").mkdir()
    (tmp_path / "fonts" / font.name).symlink_to(font)
    (tmp_path / "fonts" / "broken.ttf").write_bytes(b"not a font")
    monkeypatch.setenv(FONT_ENV, os.pathsep.join([str(tmp_path / "none"), str(tmp_path)]))
    assert find_cjk_font() == tmp_path / "fonts" / font.name


def test_lineage_png_in_japanese(lineage_ja, tmp_path, capsys):
    target = tmp_path / "lineage.png"
    write_picture(lineage_ja, target, lineage_ja.graph["title"], lang="ja")
    data = target.read_bytes()
    width, height = png_size(data)
    # the whole lineage (293 models with the imported catalogue) at 100 dpi: wide, but in
    # the bounds image viewers open
    assert 1200 <= width <= 16_000 and 600 <= height <= 8_000
    assert len(data) > 50_000
    assert WARNING not in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["lineage.png"]


def test_svg_in_japanese_holds_japanese_text_and_cjk_glyphs(kg):
    # a focused picture: few enough edges (at most MAX_LABELLED_EDGES) to label them
    takane = build_view(kg, "lineage", focus="jpr:takane", depth=1, lang="ja")
    svg = render_picture(takane, takane.graph["title"], "svg", lang="ja").decode()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    for text in ("<!-- Takane -->", "<!-- 共同開発 -->", "<!-- 凡例 -->"):
        assert text in svg
    assert 'id="NotoSansCJKjp-Regular-' in svg  # glyph outlines of the CJK font


def test_ecosystem_svg_and_png_in_english(kg, tmp_path):
    graph = build_view(kg, "ecosystem")
    write_picture(graph, tmp_path / "ecosystem.svg", graph.graph["title"])
    svg = (tmp_path / "ecosystem.svg").read_text(encoding="utf-8")
    assert "<!-- Japan&#39;s domestic LLM ecosystem -->" in svg or "domestic LLM" in svg
    png = render_picture(graph, graph.graph["title"], "png")
    width, height = png_size(png)
    assert 1500 <= width <= 12_000 and 1000 <= height <= 8_000


def test_missing_font_warns_and_still_draws(lineage_ja, tmp_path, capsys):
    data = render_picture(lineage_ja, "系譜", "png", lang="ja", font_dirs=[tmp_path])
    assert data[:8] == PNG_SIGNATURE
    err = capsys.readouterr().err
    assert WARNING in err and FONT_ENV in err and err.count("\n") == 1


def test_english_labels_need_no_cjk_font(kg, tmp_path, capsys):
    graph = build_view(kg, "lineage", focus="jpr:takane", depth=1)
    render_picture(graph, "Takane", "png", font_dirs=[tmp_path])
    assert capsys.readouterr().err == ""


def test_unknown_picture_format_is_a_usage_error(lineage_ja, tmp_path):
    with pytest.raises(UsageError, match="unknown picture format 'gif'"):
        write_picture(lineage_ja, tmp_path / "x.gif", "x")
    assert list(tmp_path.iterdir()) == []


def test_cli_writes_png_and_svg(cli, tmp_path):
    result = cli(*ROOT, "viz", "lineage", "--format", "png", "--lang", "ja", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "lineage.png"
    assert (tmp_path / "lineage.png").read_bytes()[:8] == PNG_SIGNATURE
    result = cli(*ROOT, "viz", "adoption", "--out", "adoption.svg", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "<svg" in (tmp_path / "adoption.svg").read_text(encoding="utf-8")


def test_cli_warns_without_a_font_and_exits_0(cli, tmp_path, monkeypatch):
    empty = tmp_path / "no-fonts"
    empty.mkdir()
    monkeypatch.setenv(FONT_ENV, str(empty))
    out = tmp_path / "ego.png"
    result = cli(*ROOT, "viz", "ego", "--focus", "jpr:ntt", "--lang", "ja", "--out", str(out))
    assert result.returncode == 0
    assert WARNING in result.stderr
    assert Path(result.stdout.strip()) == out and out.stat().st_size > 10_000
