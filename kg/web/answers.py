"""A query's answer made ready for an HTML table: rows of terms, a page of them, links to local pages.

The query runs through the same runner as /sparql (its guard, time and size limits), asked for
SPARQL JSON results (or N-Triples for CONSTRUCT / DESCRIBE); the answer is read here, at most
`MAX_BYTES` of it, so that a page never holds more than a browser can show. Larger answers are
for the download links.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.errors import KgError, PageAnswerTooLarge
from kg.sparql import QueryRequest
from kg.sparql.guard import check
from kg.sparql.protocol import looks_like_update

MAX_BYTES = 8 * 1024 * 1024
_POSITION = re.compile(r"\b(?:at|line)\s*(\d+):(\d+)")


@dataclass
class Answer:
    """What the page shows: variables and rows (terms or None), or a boolean, or an error."""

    form: str | None = None
    variables: list[str] = field(default_factory=list)
    rows: list[list[ox.NamedNode | ox.BlankNode | ox.Literal | None]] = field(default_factory=list)
    boolean: bool | None = None
    error: str | None = None
    line: int | None = None
    column: int | None = None


def failed(message: str) -> Answer:
    """An error answer; the parser's "at LINE:COLUMN" position, when it says one, is kept apart."""
    found = _POSITION.search(message)
    line, column = (int(found.group(1)), int(found.group(2))) if found else (None, None)
    return Answer(error=message, line=line, column=column)


def run(runner, query: str, *, allow_service: bool) -> Answer:
    """Run `query` for a page; any refusal or error comes back as an `Answer` with `error` set."""
    if looks_like_update(query):
        return failed("this is an update; the query page only reads (updates go to /update with a token)")
    try:
        found = check(query, allow_service=allow_service)
        graph = found.form in ("CONSTRUCT", "DESCRIBE")
        fmt = ox.RdfFormat.N_TRIPLES if graph else ox.QueryResultsFormat.JSON
        body = _read(runner.run(QueryRequest(query=query), fmt))
    except KgError as exc:
        return failed(exc.public_message if exc.internal else exc.message)
    if graph:
        triples = [q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]
        return Answer(found.form, ["subject", "predicate", "object"],
                      [[t.subject, t.predicate, t.object] for t in triples])
    return _solutions(found.form, json.loads(body))


def _read(chunks) -> bytes:
    out, size = [], 0
    for chunk in chunks:
        size += len(chunk)
        if size > MAX_BYTES:
            close = getattr(chunks, "close", None)
            if close:
                close()
            raise PageAnswerTooLarge(f"the answer is over {MAX_BYTES // 1_000_000} MB, too large to show; "
                                     "use a download link")
        out.append(chunk)
    return b"".join(out)


def _solutions(form: str | None, doc: dict) -> Answer:
    if "boolean" in doc:
        return Answer(form or "ASK", boolean=bool(doc["boolean"]))
    variables = doc["head"].get("vars", [])
    rows = [[_term(b.get(v)) for v in variables] for b in doc["results"]["bindings"]]
    return Answer(form or "SELECT", variables, rows)


def _term(value: dict | None):
    """A SPARQL JSON binding as a pyoxigraph term."""
    if value is None:
        return None
    kind = value["type"]
    if kind == "uri":
        return ox.NamedNode(value["value"])
    if kind == "bnode":
        return ox.BlankNode(value["value"])
    if "xml:lang" in value:
        return ox.Literal(value["value"], language=value["xml:lang"])
    if "datatype" in value:
        return ox.Literal(value["value"], datatype=ox.NamedNode(value["datatype"]))
    return ox.Literal(value["value"])
