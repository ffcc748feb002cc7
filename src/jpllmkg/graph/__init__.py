"""The graph: find the project, load the ontology, facts and shapes once (with the file each
statement came from), and materialise the ontology's entailments."""
