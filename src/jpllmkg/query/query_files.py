"""Read saved SPARQL files and the metadata header at their top (see DESIGN.md section 5).

The header is the leading run of ``# key: value`` comment lines: ``title``, ``title@ja``,
``description``, ``example`` (``NAME=VALUE ...``, the binding the build shows) and one line per
parameter::

    # param: NAME TYPE required|optional [in=SCHEME-OR-CLASS] DESCRIPTION

TYPE is one of IRI, date, number, string. An IRI parameter whose values come from a
vocabulary says so with ``in=``, naming (as a CURIE or full IRI) a SKOS concept scheme (its
values are the concepts with ``skos:inScheme`` it) or a class (its instances, subclasses
included), e.g. ``# param: sector IRI optional in=jpv:sector-scheme a sector concept``. A
value outside it is refused with the list of valid ones; any other IRI value must at least
occur in the graph (see :mod:`jpllmkg.query.known_iris`).

A query writes no PREFIX line for the project's prefixes
(:data:`jpllmkg.graph.namespaces.PREFIXES`): they are predeclared wherever it is parsed or run,
and :attr:`SavedQuery.text` is the file as written, so errors name the file's own lines. The
text a user is given or an endpoint is sent declares them
(:attr:`jpllmkg.query.sparql_text.ReadQuery.full_text`).
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from jpllmkg.errors import InputFileError
from jpllmkg.graph.namespaces import expand

HEADER_LINE = re.compile(r"^#\s*([A-Za-z@_-]+)\s*:\s*(.*)$")
PARAM_TYPES = ("IRI", "date", "number", "string")


@dataclass(frozen=True)
class Param:
    """A typed query parameter: ``# param: NAME TYPE required|optional [in=X] DESCRIPTION``;
    ``values`` is the IRI of X, the concept scheme or class its values come from."""

    name: str
    type: str
    required: bool
    description: str
    values: str | None = None


@dataclass(frozen=True)
class SavedQuery:
    """A saved query file with its header."""

    name: str
    path: Path
    text: str
    meta: dict[str, str] = field(default_factory=dict)
    params: tuple[Param, ...] = ()

    def title(self, lang: str = "en") -> str:
        return self.meta.get(f"title@{lang}") or self.meta.get("title") or self.name

    @property
    def description(self) -> str:
        return self.meta.get("description", "")


def _parse_param(value: str, path: Path, line: int) -> Param:
    parts = value.split(None, 3)
    if len(parts) < 3 or parts[1] not in PARAM_TYPES or parts[2] not in ("required", "optional"):
        raise InputFileError(
            f"{path}:{line}: bad '# param:' line {value!r}. Write it as "
            f"'# param: NAME TYPE required|optional [in=SCHEME-OR-CLASS] DESCRIPTION' with TYPE "
            f"one of {', '.join(PARAM_TYPES)}."
        )
    name, kind, use = parts[:3]
    description = parts[3] if len(parts) > 3 else ""
    values = None
    if description.startswith("in="):
        given, _, description = description.partition(" ")
        values = expand(given[3:])
        if values is None or kind != "IRI":
            raise InputFileError(
                f"{path}:{line}: '{given}' on the '# param:' line of {name!r} must name a "
                "concept scheme or class as a CURIE (e.g. in=jpv:sector-scheme) or full IRI, "
                "and only an IRI parameter can have it."
            )
    return Param(name, kind, use == "required", description.strip(), values)


def read_query_file(path: Path) -> SavedQuery:
    """Read a .rq file; the leading ``# key: value`` comment lines are its header."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputFileError(f"{path}: cannot read this query file ({error}).") from None
    meta: dict[str, str] = {}
    params: list[Param] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#"):
            break
        match = HEADER_LINE.match(line)
        if not match:
            continue
        key, value = match.group(1), match.group(2).strip()
        if key == "param":
            params.append(_parse_param(value, path, number))
        else:
            meta[key] = value
    return SavedQuery(name=path.stem, path=path, text=text, meta=meta, params=tuple(params))


def read_query_dir(directory: Path) -> dict[str, SavedQuery]:
    """All saved queries of a directory (not recursive), by name."""
    return {p.stem: read_query_file(p) for p in sorted(directory.glob("*.rq"))}


def example_params(query: SavedQuery, where: str) -> dict[str, str]:
    """The ``# example: NAME=VALUE ...`` header binding; required when a parameter is required."""
    try:
        pairs = shlex.split(query.meta.get("example", ""))
    except ValueError as error:
        raise InputFileError(f"{where}: cannot read the '# example:' line ({error}).") from None
    given: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise InputFileError(
                f"{where}: the '# example:' line holds {pair!r}; write it as "
                "'# example: NAME=VALUE NAME=VALUE' (quote a value that has spaces)."
            )
        given[name] = value
    missing = [p.name for p in query.params if p.required and p.name not in given]
    if missing:
        raise InputFileError(
            f"{where}: the query has required parameter(s) {', '.join(missing)} but its header "
            "gives no example value. The build shows every saved query's results, so add a line "
            f"such as '# example: {missing[0]}=VALUE' to the header."
        )
    return given
