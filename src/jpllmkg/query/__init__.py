"""Query: the catalogue of saved queries, typed parameters, the embedded and remote engines
within their bounds, results and how they are rendered, and the provenance answers of `why`."""
