"""kg: a knowledge-graph builder for French news.

``kg.build([...])`` reads articles and returns a :class:`KnowledgeGraph`; ``kg.load(path)``
reads an exported graph back.
"""

from __future__ import annotations

from kg.api import KnowledgeGraph, build, load
from kg.errors import KgError
from kg.settings import Settings

__all__ = ["KgError", "KnowledgeGraph", "Settings", "build", "load"]
__version__ = "0.1.0"
