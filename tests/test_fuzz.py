"""Every verb over a matrix of bad and hostile inputs (tests/fuzz_matrix.py): no traceback, no
exit 1 outside SHACL/QC findings, no hang, no data loss, no request that must not go out, and a
clear one-paragraph error for every bad input. One test per case."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest
from fuzz_matrix import REPO, Case, all_cases, classify, run_case, shared_servers

CASES = all_cases()


@pytest.fixture(scope="module")
def fuzz_servers() -> Iterator[dict[str, str]]:
    """The real oxigraph servers the matrix shares (the graph, a writable one, Wikidata's)."""
    with shared_servers(REPO) as urls:
        yield urls


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_case_is_good(case: Case, fuzz_servers: dict[str, str]) -> None:
    result = run_case(case, sys.executable, REPO, fuzz_servers)
    outcome, reason = classify(result)
    stderr = "\n".join(result.stderr.strip().splitlines()[-8:])
    assert outcome == "good", f"{outcome}: {reason}\nexit {result.exit_code}\n{stderr}"
