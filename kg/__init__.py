"""kg: a knowledge graph of what officials do, built from press articles."""

__version__ = "0.1.0"
