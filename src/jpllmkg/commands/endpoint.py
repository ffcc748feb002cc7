"""`jpllmkg serve` and `jpllmkg push`: publish the validated graph on a SPARQL endpoint."""

from __future__ import annotations

import argparse
import sys

from jpllmkg.commands import add_command, load_graph, seconds_option


def tcp_port(text: str) -> int:
    """An argparse type: a TCP port number, 1 to 65535."""
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a TCP port number (1 to 65535)")
    return int(text)


def run_serve(args: argparse.Namespace) -> int:
    """Serve the validated graph with the oxigraph server until Ctrl-C, SIGTERM or SIGHUP."""
    from jpllmkg.publish import serve

    return serve(load_graph(args), args.host, args.port, args.writable, args.timeout)


def run_push(args: argparse.Namespace) -> int:
    """Replace a graph at a Graph Store Protocol endpoint, then check the triple count."""
    from jpllmkg.publish import push

    report = push(load_graph(args), args.endpoint, args.graph, args.query_endpoint, args.timeout)
    where = f"graph <{args.graph}>" if args.graph else "the default graph"
    if not report.ok:
        print(
            f"jpllmkg: error: pushed {report.triples} triples to {where} at {report.target}, "
            f"but the endpoint now counts {report.stored}. The store holds a different graph "
            "than the one sent (did another writer change it, or does the store merge or "
            "infer triples?). Query it to see what is there.",
            file=sys.stderr,
        )
        return 1
    print(
        f"Pushed {report.triples} triples to {where} at {report.target} in one PUT "
        f"({report.seconds:.2f} s); the endpoint counts {report.stored}: complete."
    )
    return 0


def register(subparsers) -> None:
    serve = add_command(
        subparsers,
        "serve",
        run_serve,
        "Serve the validated graph on a local SPARQL 1.1 endpoint (the oxigraph server).",
        "jpllmkg serve --port 7878   # then: jpllmkg query lineage --param model=jpr:takane "
        "--endpoint http://127.0.0.1:7878/query",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=tcp_port, default=7878, help="port to listen on")
    serve.add_argument(
        "--writable",
        action="store_true",
        help="accept SPARQL updates and Graph Store writes (the server has no authentication)",
    )
    serve.add_argument(
        "--timeout",
        type=seconds_option,
        default=30.0,
        help="seconds a query may run before the server cancels it (rounded up to whole seconds)",
    )

    push = add_command(
        subparsers,
        "push",
        run_push,
        "Upload the validated graph to a SPARQL 1.1 Graph Store Protocol endpoint, replacing "
        "the graph in one request, and check the triple count.",
        "JPLLMKG_ENDPOINT_USER=me JPLLMKG_ENDPOINT_PASSWORD=... jpllmkg push --endpoint "
        "http://127.0.0.1:7878/store --graph https://w3id.org/jpllmkg/graph",
    )
    push.add_argument(
        "--endpoint", required=True, metavar="URL", help="the Graph Store Protocol URL (.../store)"
    )
    push.add_argument("--graph", metavar="IRI", help="named graph to replace (default: default)")
    push.add_argument(
        "--query-endpoint",
        metavar="URL",
        help="SPARQL query URL for the count (default: the 'query' sibling of --endpoint)",
    )
    push.add_argument("--timeout", type=seconds_option, default=120.0, help="seconds per request")
