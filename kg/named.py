"""Named queries: SPARQL files shipped with the package, each with a title and description header."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

from kg.errors import NotFound

_HEADER = re.compile(r"^#\s*(title|description):\s*(.+)$")


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    sparql: str


def _parse(name: str, text: str) -> NamedQuery:
    meta = {}
    for line in text.splitlines():
        m = _HEADER.match(line)
        if m:
            meta[m.group(1)] = m.group(2).strip()
    return NamedQuery(name, meta.get("title", name), meta.get("description", ""), text)


def named_queries() -> dict[str, NamedQuery]:
    """Every query in kg/queries, by name."""
    folder = resources.files("kg") / "queries"
    found = {}
    for entry in folder.iterdir():
        if entry.name.endswith(".rq"):
            name = entry.name[:-3]
            found[name] = _parse(name, entry.read_text(encoding="utf-8"))
    return dict(sorted(found.items()))


def named_query(name: str) -> NamedQuery:
    queries = named_queries()
    if name not in queries:
        raise NotFound(f"no named query '{name}'; known: {', '.join(queries)}")
    return queries[name]
