"""Search by any name: a person, organization, event or series by its name, an alias or an acronym.

Matching is case- and accent-insensitive; an exact match of a whole name or acronym ranks
first, then a name starting with the text, then a word starting with it, then any substring.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


def fold(text: str) -> str:
    """Lower case without accents: 'Türkiye' and 'turkiye' match."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


@dataclass(frozen=True)
class Hit:
    iri: str
    kind: str
    name: str  # the item's name
    matched: str  # the name, alias or acronym that matched
    score: int


class Names:
    """Every (item, text) pair with the item's kind and display name, folded once."""

    def __init__(self, entries: list[tuple[str, str, str, str]]) -> None:
        self.entries = [(iri, kind, name, text, fold(text)) for iri, kind, name, text in entries]

    @classmethod
    def read(cls, rows: list[dict]) -> Names:
        best: dict[str, str] = {}
        for row in rows:
            if row["name"]:
                best[row["item"]] = min(best.get(row["item"], row["name"]), row["name"])
        return cls(sorted({(r["item"], r["kind"], best.get(r["item"], r["text"]), r["text"]) for r in rows}))


def score(folded: str, query: str) -> int:
    if folded == query:
        return 4
    if folded.startswith(query):
        return 3
    if any(word.startswith(query) for word in folded.replace("(", " ").split()):
        return 2
    return 1 if query in folded else 0


def rank(names: Names, text: str, *, limit: int) -> list[Hit]:
    """The best hit per item for `text`, best first (then by name), at most `limit`."""
    query = fold(text.strip())
    best: dict[str, Hit] = {}
    for iri, kind, name, matched, folded in names.entries:
        s = score(folded, query)
        if s and (iri not in best or s > best[iri].score):
            best[iri] = Hit(iri, kind, name, matched, s)
    return sorted(best.values(), key=lambda h: (-h.score, len(h.name), h.name))[:limit]
