"""A finding of validation: what is wrong, where, and how to fix it."""

from __future__ import annotations

from dataclasses import asdict, dataclass

SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


@dataclass(frozen=True)
class Finding:
    """One problem found by a SHACL shape or a quality-check query."""

    severity: str
    check: str
    focus: str
    focus_label: str
    message: str
    path: str | None = None
    value: str | None = None
    file: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)

    def sort_key(self) -> tuple:
        return (SEVERITY_ORDER.get(self.severity, 9), self.file or "", self.focus, self.check)
