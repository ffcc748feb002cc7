"""jpllmkg: a knowledge graph of Japan's domestic LLM ecosystem."""

__version__ = "0.1.0"


def load(root=None, engine: str | None = None):
    """Load the knowledge graph (see :func:`jpllmkg.api.load`)."""
    from .api import load as _load

    return _load(root, engine=engine)
