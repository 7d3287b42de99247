"""Recognise queries whose cost is bounded by their answer, so the front process may run them itself.

A query in a worker process can be killed at its deadline; a query in a thread cannot (pyoxigraph
has no timeout, and a query that computes before its first row ignores a deadline checked between
rows). Sending every query to a worker costs each small request two process hops, which is most
of its time. So the front answers only queries it can prove cannot run away, and the proof is made
on their algebra, not on their text: this module parses a small fragment of the SPARQL grammar
into that algebra and refuses everything outside it.

The fragment (keywords in any case):

    Prologue (BASE <iri> | PREFIX p: <iri>)*
    ASK | SELECT (* | ?var+)          no DISTINCT, REDUCED, expressions or aggregates
    (FROM | FROM NAMED) iri*
    [WHERE] { [s p o [.]] }           at most one triple pattern, no variable twice in it
    [LIMIT n]                         no OFFSET, ORDER BY, GROUP BY, HAVING, VALUES

where a term is a variable, an IRI, a prefixed name, `a` (as the predicate) or a string literal
with an optional language tag or datatype (as the object). Its algebra is a projection (or an
ASK) over one triple pattern, optionally sliced. Every quad the engine reads for that pattern
matches it (no repeated variable, no filter), and every match is a row of the answer (no
deduplication, no aggregation, no offset), so the engine's work is proportional to the answer it
writes: the front stops once the answer passes one chunk and hands the query to a worker (see
`kg.sparql.stream.write_held`). `ASK` stops at the first match; an empty pattern is one row.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from kg.errors import QuerySyntaxError
from kg.sparql.guard import Token, tokens

_DIGITS = frozenset("0123456789")
MAX_TEXT = 4096  # longer texts are not small requests: they go to a worker without being read here


@dataclass(frozen=True)
class BoundedQuery:
    """The algebra of a query in the fragment: its form and its one triple pattern (empty for `{}`)."""

    form: str  # "ASK" or "SELECT"
    pattern: tuple[Token, ...]  # subject, predicate, object, or () for an empty group
    limit: int | None = None


class _Outside(Exception):
    """The text is not in the fragment (which says nothing about whether it is a valid query)."""


def bounded(text: str) -> BoundedQuery | None:
    """The query's algebra if it is in the bounded fragment, else None (then it goes to a worker)."""
    if len(text) > MAX_TEXT:
        return None
    try:
        return _Reader(tokens(text)).query()
    except (_Outside, QuerySyntaxError):  # a syntax error is the engine's to report, with its position
        return None


class _Reader:
    """A recursive-descent reader over the guard's tokens, for the fragment only."""

    def __init__(self, stream: Iterator[Token]) -> None:
        # tokens are read only as far as the reader gets: most texts leave the fragment within a
        # few tokens (a named query at its first parenthesis), so the rest is never scanned twice
        self._stream = stream
        self._tokens: list[Token] = []
        self._at = 0

    def _has(self, index: int) -> bool:
        """Whether a token exists at `index`, reading the stream up to it if needed."""
        while len(self._tokens) <= index:
            token = next(self._stream, None)
            if token is None:
                return False
            self._tokens.append(token)
        return True

    def query(self) -> BoundedQuery:
        self._prologue()
        form = self._word()
        if form == "SELECT":
            self._projection()
        elif form != "ASK":
            raise _Outside
        while self._peek_word() == "FROM":
            self._at += 1
            if self._peek_word() == "NAMED":
                self._at += 1
            self._iri()
        if self._peek_word() == "WHERE":
            self._at += 1
        pattern = self._group()
        limit = self._limit()
        if self._has(self._at):
            raise _Outside
        return BoundedQuery(form, pattern, limit)

    def _prologue(self) -> None:
        while (word := self._peek_word()) in ("BASE", "PREFIX"):
            self._at += 1
            if word == "PREFIX":
                name = self._next()
                if name.kind != "pname" or not name.text.endswith(":") or name.text.count(":") != 1:
                    raise _Outside
            self._expect_kind("iri")

    def _projection(self) -> None:
        if self._peek_text() == "*":
            self._at += 1
            return
        if self._peek_kind() != "var":
            raise _Outside  # DISTINCT, REDUCED, an expression: not in the fragment
        while self._peek_kind() == "var":
            self._at += 1

    def _group(self) -> tuple[Token, ...]:
        self._expect_text("{")
        if self._peek_text() == "}":
            self._at += 1
            return ()
        subject = self._term(("var", "iri", "pname"))
        verb = self._verb()
        obj = self._object()
        if self._peek_text() == ".":
            self._at += 1
        self._expect_text("}")
        names = [t.text[1:] for t in (subject, verb, obj) if t.kind == "var"]
        if len(names) != len(set(names)):
            raise _Outside  # a repeated variable filters the scan: reads need not become rows
        return subject, verb, obj

    def _verb(self) -> Token:
        if self._peek_kind() == "word" and self._peek_text() == "a":
            return self._next()
        return self._term(("var", "iri", "pname"))

    def _object(self) -> Token:
        if self._peek_kind() != "string":
            return self._term(("var", "iri", "pname"))
        literal = self._next()
        if self._peek_kind() == "lang":
            self._at += 1
        elif self._peek_text() == "^":
            self._expect_text("^")
            self._expect_text("^")
            self._iri()
        return literal

    def _limit(self) -> int | None:
        if self._peek_word() != "LIMIT":
            return None
        self._at += 1
        digits, end = "", None
        while self._peek_text() in _DIGITS and (end is None or self._tokens[self._at].start == end):
            token = self._next()
            digits, end = digits + token.text, token.start + 1
        if not digits:
            raise _Outside
        return int(digits)

    def _iri(self) -> Token:
        return self._term(("iri", "pname"))

    def _term(self, kinds: tuple[str, ...]) -> Token:
        token = self._next()
        if token.kind not in kinds:
            raise _Outside
        return token

    def _word(self) -> str:
        token = self._next()
        if token.kind != "word":
            raise _Outside
        return token.text.upper()

    def _expect_kind(self, kind: str) -> Token:
        return self._term((kind,))

    def _expect_text(self, text: str) -> None:
        if self._next().text != text:
            raise _Outside

    def _next(self) -> Token:
        if not self._has(self._at):
            raise _Outside
        token = self._tokens[self._at]
        self._at += 1
        return token

    def _peek_kind(self) -> str:
        return self._tokens[self._at].kind if self._has(self._at) else ""

    def _peek_text(self) -> str:
        return self._tokens[self._at].text if self._has(self._at) else ""

    def _peek_word(self) -> str:
        return self._peek_text().upper() if self._peek_kind() == "word" else ""
