"""Link: external Linked Data datasets behind one interface (:mod:`jpllmkg.link.dataset`).

:data:`DATASETS` names the registered datasets; ``jpllmkg.link.NAME`` implements each one and
defines ``DATASET``, its instance. Importing this package stays cheap (the CLI offers the names
as choices without importing rdflib); :func:`dataset` imports an implementation when needed.
The generic steps: :mod:`jpllmkg.link.mappings` (the published links),
:mod:`jpllmkg.link.reconcile` (candidates for review), :mod:`jpllmkg.link.facts` (checked facts
about linked items).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jpllmkg.link.dataset import ExternalDataset

DATASETS = ("wikidata",)


def dataset(name: str) -> ExternalDataset:
    """The registered dataset ``name`` (one of DATASETS), its module imported now."""
    if name not in DATASETS:
        raise ValueError(f"no external dataset {name!r}; registered: {', '.join(DATASETS)}")
    return import_module(f"jpllmkg.link.{name}").DATASET
