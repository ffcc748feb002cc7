"""Show: views of the graph as networkx graphs, drawn as offline HTML or as pictures."""
