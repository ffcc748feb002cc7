"""The explorer site in headless Chromium: page-ready time of sparql.html from file:// and the
time of a saved query in the page, side by side with the CLI a user would run instead.

    python benchmarks/explorer.py [--dist DIR] [--repeat 5]

Builds the real project's site (unless --dist names one), then opens it from file:// as the
browser tests do (Debian's chromium and chromedriver). Prints one Markdown table.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from browser import Browser  # noqa: E402

SPARQL_READY = "window.jpllmkgReady"
FORM_READY = "document.body.dataset.state === 'ready'"
FORM_DONE = "document.body.dataset.state === 'done'"


def site(dist: Path | None) -> Path:
    """The site to measure: the given one, or a fresh build of the real project."""
    if dist is not None:
        return dist
    out = Path(tempfile.mkdtemp(prefix="jpllmkg-bench-site-")) / "dist"
    command = [sys.executable, "-m", "jpllmkg.cli", "--root", str(REPO), "build", "--out", str(out)]
    subprocess.run(command, check=True, capture_output=True)
    return out


def cli_seconds(*args: str) -> float:
    """Wall time of one CLI run in a fresh process."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "jpllmkg.cli", "--root", str(REPO), *args],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    dist = site(options.dist)
    browser = Browser()
    ready, engine, form_page, form_query = [], [], [], []
    try:
        for _ in range(options.repeat):
            browser.driver.get("about:blank")
            browser.visit(dist / "sparql.html", SPARQL_READY)
            info = browser.js(f"return {SPARQL_READY};")
            ready.append(info["pageMs"] / 1000)
            engine.append(info["ms"] / 1000)
            browser.driver.get("about:blank")
            started = time.perf_counter()
            browser.visit(dist / "queries" / "lineage.html", FORM_READY)
            form_page.append(time.perf_counter() - started)
            browser.js("document.querySelector('#query-form button').click();")
            while not browser.js(f"return {FORM_DONE};"):
                time.sleep(0.01)
            form_query.append(browser.js("return window.jpllmkgLastQuery.ms;") / 1000)
    finally:
        browser.close()
    cli_query = [
        cli_seconds("query", "lineage", "--param", "model=jpr:takane")
        for _ in range(options.repeat)
    ]
    sizes = sum(p.stat().st_size for p in dist.rglob("*") if p.is_file())
    assets = {p.name: p.stat().st_size for p in sorted((dist / "assets").iterdir())}

    def median(values: list[float]) -> str:
        return f"{statistics.median(values) * 1000:,.0f} ms"

    print(f"Median of {options.repeat}, file://, headless Chromium ({dist})\n")
    print("| what | explorer page | instead: the CLI (cold process) | target |")
    print("|---|---|---|---|")
    print(f"| sparql.html ready to query, whole graph | {median(ready)} | — | <= 2 s |")
    print(f"| of which: engine start + graph load (worker) | {median(engine)} | — | |")
    print(f"| lineage form page ready | {median(form_page)} | — | |")
    print(
        f"| saved query `lineage` (Takane) answers | {median(form_query)} | "
        f"{median(cli_query)} | <= 200 ms |"
    )
    print(f"\nSite size: {sizes / 1e6:.1f} MB (target < 25 MB). Assets:")
    for name, size in assets.items():
        print(f"- {name}: {size:,} bytes")


if __name__ == "__main__":
    main()
