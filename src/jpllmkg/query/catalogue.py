"""The saved relationship questions in queries/*.rq, found by name.

A saved query is checked when the catalogue hands it out (by name, or when all are listed):
its text must parse as a SELECT or ASK query (:func:`jpllmkg.query.sparql_text.read_query`), so a
file holding an update such as ``DROP SILENT GRAPH`` is an input error naming the file, and
never runs or is sent anywhere. Files are checked on first use rather than all at once
(rdflib's parser takes about 20 ms a file, and ``jpllmkg query NAME`` needs only one).
"""

from __future__ import annotations

import difflib

from jpllmkg.errors import InputFileError, UsageError
from jpllmkg.graph.project import Project
from jpllmkg.query.query_files import SavedQuery, read_query_dir
from jpllmkg.query.sparql_text import read_query


class QueryCatalogue:
    """All saved queries of a project (the quality checks in queries/qc are not among them)."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.queries: dict[str, SavedQuery] = read_query_dir(project.queries_dir)

    def __iter__(self):
        return iter([self.checked(query) for query in self.queries.values()])

    def __len__(self) -> int:
        return len(self.queries)

    def get(self, name: str) -> SavedQuery:
        """The query called ``name``; an unknown name suggests the closest ones."""
        if name in self.queries:
            return self.checked(self.queries[name])
        close = difflib.get_close_matches(name, list(self.queries), n=3, cutoff=0.4)
        close += [q for q in self.queries if name and name in q and q not in close][:3]
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        raise UsageError(
            f"no saved query named {name!r}.{hint} 'jpllmkg queries' lists all "
            f"{len(self.queries)} saved queries."
        )

    def checked(self, query: SavedQuery) -> SavedQuery:
        """``query`` once its text has parsed as a read query (InputFileError otherwise)."""
        read_query(query.text, self.project.relative(query.path), InputFileError)
        return query


def catalogue_markdown(catalogue: QueryCatalogue) -> str:
    """The README's query catalogue: one table row per saved query, from the headers."""
    rows = ["| query | question | 質問 | parameters |", "|---|---|---|---|"]
    for query in catalogue:
        params = ", ".join(
            f"`{p.name}` ({p.type}{'' if p.required else ', optional'})" for p in query.params
        )
        rows.append(
            f"| `{query.name}` | {query.title('en')} | {query.title('ja')} | {params or '-'} |"
        )
    return "\n".join(rows)
