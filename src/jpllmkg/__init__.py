"""jpllmkg: a knowledge graph of Japan's domestic LLM ecosystem."""

__version__ = "0.1.0"


def load(root=None, **options):
    """Load the knowledge graph; ``options`` as for :func:`jpllmkg.api.load` (engine, endpoint,
    timeout, max_rows)."""
    from jpllmkg.api import load as _load

    return _load(root, **options)
