"""Write a query's answer row by row into a binary file object, under a time and size budget.

pyoxigraph's `QuerySolutions.serialize` writes a whole result in one call, with no way to stop
between rows or to count them, so result sets are written here, one solution at a time, in the
four W3C formats (JSON, XML, CSV, TSV) the same way pyoxigraph writes them. Graphs go through
`pyoxigraph.serialize` fed by a generator, which gives the same per-triple control. Every row
calls `Budget.tick`, which raises `QueryTimeout` past the deadline and `ResultTooLarge` past
`max_rows`; the caller decides what that means for a response already under way.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import BinaryIO
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

import pyoxigraph as ox

from kg.errors import QueryTimeout, ResultTooLarge
from kg.sparql.negotiate import Format
from kg.sparql.results import _PREFIXES
from kg.store.base import QueryResult

HOLD = 64 * 1024  # write buffer size, and the bytes held back before a response starts
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


class Budget:
    """Rows allowed and the moment to stop; `tick()` once per row written."""

    def __init__(self, *, seconds: float | None, max_rows: int) -> None:
        self.deadline = None if not seconds else time.monotonic() + seconds
        self.seconds = seconds
        self.max_rows = max_rows
        self.rows = 0

    def tick(self) -> None:
        self.rows += 1
        if self.rows > self.max_rows:
            raise ResultTooLarge(
                f"the answer has more than {self.max_rows} rows (max_rows); add a LIMIT or narrow the query"
            )
        self.check_time()

    def check_time(self) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise self.expired()

    def expired(self) -> QueryTimeout:
        return QueryTimeout(f"the query ran longer than the {self.seconds:g} s limit (query_timeout) and was stopped")


def write_result(result: QueryResult, fmt: Format, out: BinaryIO, budget: Budget) -> None:
    """Write `result` in `fmt` to `out`, ticking `budget` for each row or triple."""
    if isinstance(result, ox.QueryBoolean):
        out.write(result.serialize(format=fmt))
    elif isinstance(result, ox.QueryTriples):
        ox.serialize(_ticking(result, budget), out, format=fmt, prefixes=_PREFIXES)
    else:
        _WRITERS[fmt](result, out, budget)


class Chunker:
    """A binary writer that hands its data to `send` in chunks of about `HOLD` bytes.

    Not an `io.BufferedWriter`: one of those flushes again when collected after an error.
    """

    def __init__(self, send: Callable[[bytes], None]) -> None:
        self._send = send
        self._buffer = bytearray()

    def write(self, data: bytes) -> int:
        self._buffer += data
        if len(self._buffer) >= HOLD:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self._buffer:
            chunk, self._buffer = bytes(self._buffer), bytearray()
            self._send(chunk)


def write_chunks(
    result_of: Callable[[], QueryResult], fmt: Format, budget: Budget, send: Callable[[bytes], None]
) -> None:
    """Run the query, then write its answer in chunks into `send`."""
    result = result_of()
    budget.check_time()
    out = Chunker(send)
    write_result(result, fmt, out, budget)  # type: ignore[arg-type]
    out.flush()


def _ticking(triples: Iterator[ox.Triple], budget: Budget) -> Iterator[ox.Triple]:
    for triple in triples:
        budget.tick()
        yield triple


def _solutions(result: ox.QuerySolutions, budget: Budget) -> Iterator[list[Term | None]]:
    variables = result.variables
    for solution in result:
        budget.tick()
        yield [solution[v] for v in variables]


def _json_term(term: Term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        parts = ("subject", "predicate", "object")
        return {"type": "triple", "value": {p: _json_term(getattr(term, p)) for p in parts}}
    body = {"type": "literal", "value": term.value}
    if term.language:
        body["xml:lang"] = term.language
    elif term.datatype.value != XSD_STRING:
        body["datatype"] = term.datatype.value
    return body


def _write_json(result: ox.QuerySolutions, out: BinaryIO, budget: Budget) -> None:
    names = [v.value for v in result.variables]
    out.write(b'{"head":{"vars":' + json.dumps(names).encode() + b'},"results":{"bindings":[')
    for i, row in enumerate(_solutions(result, budget)):
        binding = {n: _json_term(t) for n, t in zip(names, row, strict=True) if t is not None}
        out.write((b"," if i else b"") + json.dumps(binding, ensure_ascii=False, separators=(",", ":")).encode())
    out.write(b"]}}")


def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{xml_escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{xml_escape(term.value)}</bnode>"
    if isinstance(term, ox.Triple):
        parts = "".join(f"<{p}>{_xml_term(getattr(term, p))}</{p}>" for p in ("subject", "predicate", "object"))
        return f"<triple>{parts}</triple>"
    attr = ""
    if term.language:
        attr = f" xml:lang={quoteattr(term.language)}"
    elif term.datatype.value != XSD_STRING:
        attr = f" datatype={quoteattr(term.datatype.value)}"
    return f"<literal{attr}>{xml_escape(term.value)}</literal>"


def _write_xml(result: ox.QuerySolutions, out: BinaryIO, budget: Budget) -> None:
    names = [v.value for v in result.variables]
    head = "".join(f"<variable name={quoteattr(n)}/>" for n in names)
    out.write(f'<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>{head}</head>'
              "<results>".encode())
    for row in _solutions(result, budget):
        bindings = "".join(
            f"<binding name={quoteattr(n)}>{_xml_term(t)}</binding>"
            for n, t in zip(names, row, strict=True)
            if t is not None
        )
        out.write(f"<result>{bindings}</result>".encode())
    out.write(b"</results></sparql>")


def _csv_value(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        text = f"_:{term.value}"
    elif isinstance(term, ox.Triple):
        text = " ".join(_csv_value(getattr(term, p)) for p in ("subject", "predicate", "object"))
    else:
        text = term.value
    if any(c in text for c in '",\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _write_csv(result: ox.QuerySolutions, out: BinaryIO, budget: Budget) -> None:
    out.write(",".join(v.value for v in result.variables).encode() + b"\r\n")
    for row in _solutions(result, budget):
        out.write(",".join(_csv_value(t) for t in row).encode() + b"\r\n")


def _write_tsv(result: ox.QuerySolutions, out: BinaryIO, budget: Budget) -> None:
    out.write("\t".join(f"?{v.value}" for v in result.variables).encode() + b"\n")
    for row in _solutions(result, budget):
        out.write("\t".join("" if t is None else str(t) for t in row).encode() + b"\n")


_WRITERS: dict[ox.QueryResultsFormat, Callable[[ox.QuerySolutions, BinaryIO, Budget], None]] = {
    ox.QueryResultsFormat.JSON: _write_json,
    ox.QueryResultsFormat.XML: _write_xml,
    ox.QueryResultsFormat.CSV: _write_csv,
    ox.QueryResultsFormat.TSV: _write_tsv,
}
