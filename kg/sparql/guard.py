"""Refuse what a public endpoint must not do before a request reaches the engine.

Both pyoxigraph and rdflib's engine send HTTP requests for `SERVICE`, and pyoxigraph for
`LOAD`, so those are refused unless the `allow_service` setting says otherwise. A dataset
(`FROM`, `FROM NAMED`, `USING`, `USING NAMED`, `default-graph-uri`, `named-graph-uri`) may only
name graphs the store holds: nothing is ever fetched, and naming a remote document is refused
with a message saying so rather than answered from an empty graph.

The check reads the request with a SPARQL tokenizer, not a keyword search: strings, IRIs,
comments, variables (`?service`), prefixed names (`ex:service`) and language tags are tokens of
their own, so only a real `SERVICE` keyword, in any letter case, counts. The tokenizer is
deliberately simpler than a parser: a text it cannot read is left to the engine, which refuses
it as a syntax error, and where the two could disagree the tokenizer errs towards refusing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urljoin

from kg.errors import QueryRefused

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
    |(?P<comment>\#[^\r\n]*)
    |(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    |(?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
        |'(?:[^'\\\r\n]|\\.)*'|"(?:[^"\\\r\n]|\\.)*")
    |(?P<var>[?$][^\s(){}\[\],;.!=<>|&+*/^"'#-]*)
    |(?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    |(?P<pname>(?:[^\W\d][\w.-]*)?:(?:[\w.:%-]|\\.)*)
    |(?P<word>[^\W\d][\w-]*)
    |(?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
# pyoxigraph's parser is a PEG, not a longest-match tokenizer: it reads `SERVICE:x` as the keyword
# SERVICE and the IRI `:x`, so a prefixed name that begins with one of these is split in two.
_SPLIT = {"SERVICE", "LOAD", "FROM", "USING", "NAMED", "SILENT"}


@dataclass(frozen=True)
class Token:
    kind: str
    text: str


def tokens(text: str) -> Iterator[Token]:
    """The significant tokens of a SPARQL text (whitespace and comments dropped)."""
    for match in _TOKEN.finditer(text):
        kind, text = match.lastgroup or "other", match.group()
        prefix, _, local = text.partition(":")
        if kind == "pname" and prefix.upper() in _SPLIT:
            yield Token("word", prefix)
            yield Token("pname", ":" + local)
        elif kind not in ("ws", "comment"):
            yield Token(kind, text)


@dataclass(frozen=True)
class Inspection:
    """What the guard learnt: the query form (None for an update) and the graphs named as dataset."""

    form: str | None
    dataset: tuple[str, ...]
    network: tuple[str, ...]  # SERVICE / LOAD keywords found, upper-cased


def inspect(text: str) -> Inspection:
    """Read a query or update: its form, its FROM/USING graph IRIs, its network operations."""
    toks = list(tokens(text))
    prefixes: dict[str, str] = {}
    base = ""
    form = None
    dataset: list[str] = []
    network: list[str] = []
    for i, tok in enumerate(toks):
        word = tok.text.upper() if tok.kind == "word" else ""
        if word == "PREFIX" and i + 2 < len(toks) and toks[i + 2].kind == "iri":
            prefixes[toks[i + 1].text] = urljoin(base, toks[i + 2].text[1:-1])
        elif word == "BASE" and i + 1 < len(toks) and toks[i + 1].kind == "iri":
            base = urljoin(base, toks[i + 1].text[1:-1])
        elif word in ("SERVICE", "LOAD"):
            network.append(word)
        elif word in ("FROM", "USING"):
            j = i + 2 if i + 1 < len(toks) and toks[i + 1].text.upper() == "NAMED" else i + 1
            if j < len(toks):
                dataset.append(_resolve(toks[j], prefixes, base))
        elif word in FORMS and form is None:
            form = word
    return Inspection(form=form, dataset=tuple(dataset), network=tuple(network))


def _resolve(tok: Token, prefixes: dict[str, str], base: str) -> str:
    if tok.kind == "iri":
        return urljoin(base, tok.text[1:-1])
    if tok.kind == "pname":
        prefix, _, local = tok.text.partition(":")
        if prefix + ":" in prefixes:
            return prefixes[prefix + ":"] + local.replace("\\", "")
    return tok.text  # not an IRI: the engine will refuse the syntax


def check(
    text: str,
    *,
    allow_service: bool,
    has_graph: Callable[[str], bool],
    extra_graphs: Iterable[str] = (),
) -> Inspection:
    """Inspect `text` and raise `QueryRefused` for a network operation or a graph the store lacks.

    `extra_graphs` are the protocol's `default-graph-uri` / `named-graph-uri` values.
    """
    found = inspect(text)
    if found.network and not allow_service:
        names = " and ".join(sorted(set(found.network)))
        raise QueryRefused(
            f"{names} is not allowed on this service: it would make the server reach the network "
            "(set allow_service to enable it)"
        )
    for iri in (*found.dataset, *extra_graphs):
        if not has_graph(iri):
            raise QueryRefused(
                f"the dataset names <{iri}>, which is not a graph of this store; this service "
                "never fetches remote graphs"
            )
    return found
