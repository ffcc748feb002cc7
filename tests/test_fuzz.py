"""Every verb over a matrix of bad and hostile inputs (tests/fuzz_matrix.py): no traceback, no
exit 1 outside SHACL/QC findings, no hang, no data loss, no request that must not go out, and a
clear one-paragraph error for every bad input. One test per case; the selected cases run two at
a time, once for the module (each is a CLI process with its own copy of the project)."""

from __future__ import annotations

import sys

import pytest
from fuzz_matrix import REPO, Case, all_cases, run_matrix

CASES = all_cases()
JOBS = 2


@pytest.fixture(scope="module")
def outcomes(request: pytest.FixtureRequest) -> dict[str, tuple]:
    """case id -> (result, outcome, reason) for every case this session selected."""
    selected = {
        item.callspec.params["case"].id
        for item in request.session.items
        if item.originalname == "test_case_is_good"
    }
    cases = [case for case in CASES if case.id in selected]
    rows = run_matrix(sys.executable, REPO, JOBS, cases)
    return {result.case.id: (result, outcome, reason) for result, outcome, reason in rows}


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_case_is_good(case: Case, outcomes: dict[str, tuple]) -> None:
    result, outcome, reason = outcomes[case.id]
    stderr = "\n".join(result.stderr.strip().splitlines()[-8:])
    assert outcome == "good", f"{outcome}: {reason}\nexit {result.exit_code}\n{stderr}"
