"""The SPARQL the web pages run, one `.rq` file per question, apart from the named queries.

The named queries in kg/queries are the public, documented ones (`kg query --named`); these
serve the pages (profiles, browse lists, search, timeline, network) and may change with them.
A query that is about one resource names it `?this`; `select()` binds it by inserting a
`VALUES ?this { <iri> }` block, written by pyoxigraph from the term, at the head of the
outermost WHERE group, so no value is ever pasted into the text as a string.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import pyoxigraph as ox

from kg.namespaces import sparql_prologue
from kg.store import Store

_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
Term = ox.NamedNode | ox.Literal


@cache
def text(name: str) -> str:
    """The query `name` (a file `name.rq` beside this module), with kg's PREFIX lines before it."""
    body = (resources.files(__package__) / f"{name}.rq").read_text(encoding="utf-8")
    return sparql_prologue() + body


def bound(name: str, **values: Term | list[Term]) -> str:
    """The query `name` with each `?var` given in `values` bound to that term (or those terms)."""
    query = text(name)
    if not values:
        return query
    block = " ".join(
        f"VALUES ?{var} {{ {' '.join(map(str, terms if isinstance(terms, list) else [terms]))} }}"
        for var, terms in values.items()
    )
    match = _WHERE.search(query)
    if match is None:
        raise ValueError(f"page query {name} has no WHERE group to bind {', '.join(values)} in")
    return f"{query[: match.end()]} {block} {query[match.end() :]}"


def select(store: Store, name: str, **values: Term | list[Term]) -> list[dict[str, str | None]]:
    """Run a page query; each row maps a variable to its value as text (None when unbound)."""
    result = store.query(bound(name, **values))
    names = [v.value for v in result.variables]
    width = range(len(names))
    return [dict(zip(names, [None if (term := row[i]) is None else term.value for i in width], strict=True))
            for row in result]
