"""Import: community catalogues read from verbatim snapshots into ``graph/imported/`` (a
generated part of the graph that nobody edits by hand), every statement with its line-level
source.

:mod:`jpllmkg.imports.ajl_markdown` reads the awesome-japanese-llm tables,
:mod:`jpllmkg.imports.ajl_rdf` turns their rows into statements, matched to the graph's entities
by the rules of :mod:`jpllmkg.imports.matching` and the alias table
``graph/external/ajl-aliases.tsv``.
"""
