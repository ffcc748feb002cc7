"""Query results: rows usable as dicts, and a DataFrame when pandas is installed."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from rdflib import Literal, URIRef
from rdflib.term import Node

from .namespaces import compact


def plain(term: Node | None):
    """A Python value for a term: compact IRI text, or the literal's Python value."""
    if term is None:
        return None
    if isinstance(term, URIRef):
        return compact(str(term))
    if isinstance(term, Literal):
        value = term.toPython()
        return value if isinstance(value, int | float | bool | Decimal) else str(term)
    return str(term)


@dataclass
class QueryResult:
    """The variables and rows of a SELECT (or the boolean of an ASK) query."""

    variables: list[str]
    rows: list[dict[str, Node | None]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[dict[str, Node | None]]:
        return iter(self.rows)

    def __getitem__(self, index: int) -> dict[str, Node | None]:
        return self.rows[index]

    def column(self, name: str) -> list:
        """One column as plain Python values."""
        return [plain(row.get(name)) for row in self.rows]

    def records(self) -> list[dict]:
        """Rows as plain dicts (compact IRIs, Python literals)."""
        return [{v: plain(row.get(v)) for v in self.variables} for row in self.rows]

    def to_dataframe(self):
        """A pandas DataFrame of :meth:`records` (requires pandas)."""
        try:
            import pandas
        except ImportError as error:
            raise ImportError("to_dataframe() needs pandas: pip install pandas") from error
        return pandas.DataFrame(self.records(), columns=self.variables)
