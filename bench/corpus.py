"""Articles to benchmark with: the project's own examples and test articles, and the real ones if present.

Copies are made distinct (a numbered closing line) so each is a new article with its own graph,
which is what ingesting a stream of press releases looks like to the store.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from kg.facts import Article
from kg.loaders import read_path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "examples", ROOT / "tests" / "articles", ROOT.parent / "shared" / "corpus" / "articles"]


def base_articles() -> list[Article]:
    found = []
    for folder in SOURCES:
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    found.extend(read_path(path))
    return found


def articles(n: int) -> list[Article]:
    """`n` distinct articles cycling over the base set."""
    base = base_articles()
    return [dataclasses.replace(base[i % len(base)], text=f"{base[i % len(base)].text}\n\nRef. {i}.", url=None)
            for i in range(n)]
