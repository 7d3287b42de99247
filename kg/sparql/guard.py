"""Refuse what a public endpoint must not do before any parser sees a request.

Both pyoxigraph and rdflib's engine send HTTP requests for `SERVICE`, and pyoxigraph for
`LOAD`, so those are refused unless the `allow_service` setting says otherwise. pyoxigraph's
parser recurses, in Rust, once per nesting level: thousands of nested braces, parentheses or
`!` overflow its stack and kill the process, so nesting deeper than `MAX_DEPTH` is refused too.

The decision is made on the SPARQL grammar's own terminals (SPARQL 1.1 Query section 19.8):
IRIREF, the string forms, VAR1/VAR2 with the exact VARNAME characters, PNAME_NS/PNAME_LN,
BLANK_NODE_LABEL and LANGTAG are matched as the grammar defines them, and everything else is
split into ASCII letter runs and single characters. So a keyword can only hide inside a token the
grammar itself says it cannot be in (a string, an IRI, a name), and anything the tokenizer does
not recognise is split more finely than any parser would read it, never less: `?o~SERVICE` is
`?o`, `~`, `SERVICE`. pyoxigraph's parser is a PEG that reads a keyword at the start of a longer
word (`SERVICESILENT` is `SERVICE SILENT`, `SERVICE:x` is `SERVICE :x`), so a letter run or a
prefix that merely contains SERVICE or LOAD counts too; no valid query has such a bare word.

Scanning is linear: one left-to-right pass, each character read a bounded number of times (the
string patterns are possessive, so a string that never closes is not backtracked through). A
quote that does not start a complete string is a syntax error at once (400, with line and
column), never a fallback that re-scans the rest of the text from the next character. A deadline,
when given, is checked as the scan goes.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass

from kg.errors import QueryRefused, QuerySyntaxError, QueryTimeout, TooDeep

MAX_DEPTH = 128  # nesting levels: a wide margin under the few thousand that overflow pyoxigraph's stack

# The grammar's character classes (SPARQL 1.1 Query, section 19.8).
_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_U = _BASE + "_"
_CHARS = _U + "\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PREFIX = rf"[{_BASE}](?:\.*[{_CHARS}])*"
_LOCAL = rf"(?:[{_U}:0-9]|{_PLX})(?:\.*(?:[{_CHARS}:]|{_PLX}))*"
_TOKEN = re.compile(
    rf"""
    (?P<ws>[ \t\r\n]+)
    |(?P<nest>[{{}}()\[\]!^+\-]+)
    |(?P<punct>[,;.*=|/&0-9])
    |(?P<comment>\#[^\r\n]*)
    |(?P<iri><[^<>"{{}}|^`\\\x00-\x20]*>)
    |(?P<string>'''(?:'{{0,2}}(?:[^'\\]++|\\.))*+'''|\"\"\"(?:"{{0,2}}(?:[^"\\]++|\\.))*+\"\"\"
        |'(?:[^'\\\r\n]++|\\.)*+'|"(?:[^"\\\r\n]++|\\.)*+")
    |(?P<badstring>['"])
    |(?P<var>[?$][{_U}0-9][{_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*)
    |(?P<bnode>_:[{_U}0-9](?:\.*[{_CHARS}])*)
    |(?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    |(?P<pname>(?:{_PREFIX})?:(?:{_LOCAL})?)
    |(?P<word>[A-Za-z]+)
    |(?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
NETWORK = ("SERVICE", "LOAD")
_OPEN, _CLOSE = "{([", "})]"
_UNARY = "!^+-"  # prefix operators; each one a parser reads is one more level of recursion
_CHECK_EVERY = 4096  # tokens between deadline checks


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int = 0  # offset in the text, so a caller can insert before a token


def _matches(text: str, deadline: float | None) -> Iterator[re.Match]:
    """Every token match, whitespace and comments included, in one linear pass."""
    for count, match in enumerate(_TOKEN.finditer(text)):
        if deadline is not None and count % _CHECK_EVERY == 0 and time.monotonic() > deadline:
            raise QueryTimeout("the request ran past the time limit while it was being read")
        if match.lastgroup == "badstring":
            line, column = position(text, match.start())
            raise QuerySyntaxError(f"a string opened at line {line}, column {column} is never closed")
        yield match


def tokens(text: str, *, deadline: float | None = None) -> Iterator[Token]:
    """The significant tokens of a SPARQL text (whitespace and comments dropped), in one linear pass.

    Raises `QuerySyntaxError` at a quote that opens no complete string, and `QueryTimeout` once
    `deadline` (a `time.monotonic()` value) has passed.
    """
    for match in _matches(text, deadline):
        kind = match.lastgroup
        if kind == "nest":  # a run of brackets and prefix operators: one token each
            yield from (Token("other", char, match.start() + i) for i, char in enumerate(match.group()))
        elif kind not in ("ws", "comment"):
            yield Token("other" if kind in (None, "punct") else kind, match.group(), match.start())


def position(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of `offset` in `text`."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


@dataclass(frozen=True)
class Inspection:
    """What the guard learnt: the query form (None for an update), its network keywords, its nesting depth."""

    form: str | None
    network: tuple[str, ...]  # SERVICE / LOAD keywords found, upper-cased
    depth: int
    triple_terms: bool = False  # `<<` or TRIPLE(): the answer may hold RDF 1.2 triple terms


def network_word(tok: Token) -> str | None:
    """SERVICE or LOAD if a parser could read this token as (or as starting with) that keyword."""
    if tok.kind == "word":
        upper = tok.text.upper()
    elif tok.kind == "pname":
        upper = tok.text.partition(":")[0].upper()
    else:
        return None
    return next((word for word in NETWORK if word in upper), None)


def inspect(text: str, *, deadline: float | None = None, max_depth: int = MAX_DEPTH) -> Inspection:
    """Read a query or update: its form, its network operations, its nesting depth (refused past `max_depth`).

    Works on the raw matches rather than `tokens()`: a 5 MB `IN (...)` list is a million tokens.
    """
    form = None
    network: list[str] = []
    depth = deepest = unary = 0
    triple_terms = False
    previous = ""
    for match in _matches(text, deadline):
        kind = match.lastgroup
        if kind in ("ws", "comment", "string", "iri", "var"):
            if kind not in ("ws", "comment"):
                unary = 0
                previous = ""
            continue
        value = match.group()
        triple_terms = triple_terms or (value == "<" and previous == "<") or value.upper() == "TRIPLE"
        previous = value
        if kind == "nest":  # brackets and prefix operators, counted character by character
            for i, char in enumerate(value):
                if char in _UNARY:
                    unary += 1
                else:
                    unary = 0
                    depth = depth + 1 if char in _OPEN else max(depth - 1, 0)
                if depth + unary > deepest:
                    deepest = depth + unary
                    if deepest > max_depth:
                        raise _too_deep(text, match.start() + i, max_depth)
            continue
        if kind in ("punct", "other"):
            unary = 0
            continue
        unary = 0
        tok = Token(kind or "other", value, match.start())
        if word := network_word(tok):
            network.append(word)
        elif kind == "word" and form is None and value.upper() in FORMS:
            form = value.upper()
    return Inspection(form=form, network=tuple(network), depth=deepest, triple_terms=triple_terms)


def _too_deep(text: str, offset: int, max_depth: int) -> TooDeep:
    line, column = position(text, offset)
    return TooDeep(
        f"the request nests deeper than {max_depth} levels (brackets, parentheses and prefix "
        f"operators) at line {line}, column {column}; this service's limit is {max_depth}"
    )


def check(text: str, *, allow_service: bool, deadline: float | None = None) -> Inspection:
    """Inspect `text` and raise `QueryRefused` for a network operation or nesting past the limit.

    A dataset (`FROM`, `USING`, the protocol's graph parameters) is not refused: the engines
    never fetch it, and a graph the store does not hold reads as empty.
    """
    found = inspect(text, deadline=deadline)
    if found.network and not allow_service:
        names = " and ".join(sorted(set(found.network)))
        raise QueryRefused(
            f"{names} is not allowed on this service: it would make the server reach the network "
            "(set allow_service to enable it)"
        )
    return found
