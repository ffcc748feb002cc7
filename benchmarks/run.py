"""Measure jpllmkg at several sizes and print one table (Markdown).

For each size (the real graph, and synthetic projects from benchmarks/generate.py) it measures,
each in a fresh subprocess so that peak memory (max RSS) belongs to that step alone:

- load: `jpllmkg.graph.loader.load` (files streamed into the pyoxigraph store);
- every saved query's median time on the oxigraph and rdflib engines, and the speed-up;
- validation (SHACL with pyshacl-turbo plus the QC queries): time, peak memory, findings;
- on the real graph, the CLI's cold start: `jpllmkg --help`, `queries`, `validate`, `query`.

    python benchmarks/run.py --sizes 10000 100000 1000000 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate  # noqa: E402

from jpllmkg.query.query_files import example_params, read_query_dir  # noqa: E402

SKIP = {"federated-organization-facts"}  # needs the network (SERVICE)

WORKER = """
import json, resource, statistics, sys, time
from jpllmkg.graph.loader import load
from jpllmkg.graph.project import find_project
step, root, arg = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
result = {}
start = time.perf_counter()
kg = load(find_project(root=root))
result["load_s"] = time.perf_counter() - start
result["triples"] = sum(kg.file_triples.values())
if step == "validate":
    from jpllmkg.validate.validation import validate
    start = time.perf_counter()
    report = validate(kg)
    result["validate_s"] = time.perf_counter() - start
    result["violations"], result["warnings"] = len(report.violations), len(report.warnings)
elif step == "queries":
    from jpllmkg.query.local import Graph
    graph = Graph(kg, engine=arg["engine"])
    start = time.perf_counter()
    graph.engine.select("ASK { ?s ?p ?o }")  # builds the engine (rdflib parses the files)
    result["engine_s"] = time.perf_counter() - start
    result["queries"] = {}
    for name, params in arg["queries"].items():
        text = graph.query_text(name, **params)
        times = []
        for _ in range(arg["repeat"]):
            start = time.perf_counter()
            rows = len(graph.engine.select(text))
            times.append(time.perf_counter() - start)
            if times[-1] > arg["budget"]:
                break
        result["queries"][name] = {"median_s": statistics.median(times), "rows": rows}
result["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(result))
"""


def worker(step: str, root: Path, arg: dict | None = None, timeout: float = 3600) -> dict:
    """Run one measurement in a fresh interpreter and return its JSON result."""
    done = subprocess.run(
        [sys.executable, "-c", WORKER, step, str(root), json.dumps(arg or {})],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr else "failed"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def saved_queries(root: Path) -> dict[str, dict[str, str]]:
    """Each saved query with its header's example binding (the synthetic data keeps the real
    graph, so the examples exist at every size)."""
    queries = read_query_dir(root / "queries")
    return {
        name: example_params(query, name) for name, query in queries.items() if name not in SKIP
    }


def cold_start(root: Path, repeat: int) -> dict[str, float]:
    """Median wall time of the CLI commands, started afresh each time."""
    commands = {
        "jpllmkg --help": ["--help"],
        "jpllmkg queries": ["queries"],
        "jpllmkg validate": ["validate"],
        "jpllmkg query foreign-base-models": ["query", "foreign-base-models"],
    }
    times = {}
    for label, args in commands.items():
        runs = []
        for _ in range(repeat):
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "jpllmkg.cli", "--root", str(root), *args],
                capture_output=True,
                check=False,
            )
            runs.append(time.perf_counter() - start)
        times[label] = statistics.median(runs)
    return times


def measure(name: str, root: Path, repeat: int, engines: list[str], budget: float) -> dict:
    """All measurements for one project."""
    print(f"measuring {name} ...", file=sys.stderr, flush=True)
    row: dict = {"name": name, "load": worker("load", root)}
    queries = saved_queries(root)
    by_engine = {
        engine: worker(
            "queries",
            root,
            {"engine": engine, "queries": queries, "repeat": repeat, "budget": budget},
        ).get("queries", {})
        for engine in engines
    }
    row["queries"] = {
        name: {engine: by_engine[engine].get(name, {}) for engine in engines} for name in queries
    }
    row["validate"] = worker("validate", root)
    return row


def geometric_mean(values: list[float]) -> float:
    return statistics.geometric_mean(values) if values else float("nan")


def fmt(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def table(rows: list[dict], cold: dict[str, float]) -> str:
    """The Markdown report."""
    out = [
        f"Machine: {platform.machine()}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, {subprocess.getoutput('nproc')} cores.",
        "",
        "| size | triples | load | load peak RSS | validate | validate peak RSS | "
        "violations / warnings | query speed-up (geo-mean) | slowest query (oxigraph) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        load, val = row["load"], row["validate"]
        speedups, slowest = [], (0.0, "")
        for query, by_engine in row["queries"].items():
            ox, rd = by_engine.get("oxigraph", {}), by_engine.get("rdflib", {})
            if "median_s" in ox and "median_s" in rd and ox["median_s"] > 0:
                speedups.append(rd["median_s"] / ox["median_s"])
            if ox.get("median_s", 0) > slowest[0]:
                slowest = (ox["median_s"], query)
        out.append(
            f"| {row['name']} | {load.get('triples', '-')} | {fmt(load.get('load_s'))} | "
            f"{load.get('max_rss_mb', 0):.0f} MB | {fmt(val.get('validate_s'))} | "
            f"{val.get('max_rss_mb', 0):.0f} MB | "
            f"{val.get('violations', '-')} / {val.get('warnings', '-')} | "
            f"{geometric_mean(speedups):.1f}x | {fmt(slowest[0])} ({slowest[1]}) |"
        )
    out += ["", "Median time per saved query (oxigraph / rdflib, speed-up):", ""]
    header = "| query | " + " | ".join(row["name"] for row in rows) + " |"
    out += [header, "|---|" + "---|" * len(rows)]
    for query in rows[0]["queries"]:
        cells = []
        for row in rows:
            ox = row["queries"][query].get("oxigraph", {})
            rd = row["queries"][query].get("rdflib", {})
            if "median_s" not in ox:
                cells.append(ox.get("error", "-"))
                continue
            ratio = f", {rd['median_s'] / ox['median_s']:.0f}x" if "median_s" in rd else ""
            cells.append(f"{fmt(ox['median_s'])} / {fmt(rd.get('median_s'))}{ratio}")
        out.append(f"| {query} | " + " | ".join(cells) + " |")
    out += ["", "CLI cold start on the real graph (median wall time):", ""]
    out += ["| command | time |", "|---|---|"]
    out += [f"| `{label}` | {fmt(seconds)} |" for label, seconds in cold.items()]
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=5, help="runs per query (median)")
    parser.add_argument("--engines", nargs="+", default=["oxigraph", "rdflib"])
    parser.add_argument(
        "--budget", type=float, default=30.0, help="stop repeating a query slower than this (s)"
    )
    parser.add_argument("--json", type=Path, help="also write the raw measurements here")
    args = parser.parse_args()
    cold = cold_start(REPO, args.repeat)
    rows = [measure("real graph", REPO, args.repeat, args.engines, args.budget)]
    with tempfile.TemporaryDirectory(prefix="jpllmkg-bench-") as scratch:
        for size in args.sizes:
            root = Path(scratch) / f"n{size}"
            counts = generate(size, root)
            label = f"~{size:,} ({counts.invalid} invalid records)"
            rows.append(measure(label, root, args.repeat, args.engines, args.budget))
            if args.json:  # after each size, so a long run still leaves what it measured
                args.json.write_text(json.dumps({"rows": rows, "cold": cold}, indent=2), "utf-8")
    print(table(rows, cold))


if __name__ == "__main__":
    main()
