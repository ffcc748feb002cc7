"""jpllmkg: a knowledge graph of Japan's domestic LLM ecosystem."""

__version__ = "0.1.0"
