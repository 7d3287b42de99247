"""Content negotiation for SPARQL answers: Accept q-values and a `format=` override.

The choice is made from explicit tables (media type -> pyoxigraph format), one for result sets
and booleans and one for graphs, so that what the endpoint can answer is written down once and
unit-tested on its own, apart from HTTP.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pyoxigraph import QueryResultsFormat, RdfFormat

from kg.errors import NotAcceptable

Format = QueryResultsFormat | RdfFormat


@dataclass(frozen=True)
class Table:
    """The media types one kind of answer can take, the first being the default."""

    name: str
    formats: tuple[tuple[str, Format], ...]  # canonical media type -> format, in preference order
    aliases: dict[str, str]  # other media types clients send -> canonical media type
    keywords: dict[str, str]  # `format=` short names -> canonical media type

    def media_types(self) -> list[str]:
        return [media_type for media_type, _ in self.formats]

    def choice(self, media_type: str) -> Choice:
        return Choice(media_type, dict(self.formats)[media_type])


RESULTS = Table(
    name="SPARQL results",
    formats=(
        ("application/sparql-results+json", QueryResultsFormat.JSON),
        ("application/sparql-results+xml", QueryResultsFormat.XML),
        ("text/csv", QueryResultsFormat.CSV),
        ("text/tab-separated-values", QueryResultsFormat.TSV),
    ),
    aliases={
        "application/json": "application/sparql-results+json",
        "application/xml": "application/sparql-results+xml",
    },
    keywords={
        "json": "application/sparql-results+json",
        "xml": "application/sparql-results+xml",
        "csv": "text/csv",
        "tsv": "text/tab-separated-values",
    },
)

GRAPHS = Table(
    name="RDF graph",
    formats=(
        ("text/turtle", RdfFormat.TURTLE),
        ("application/n-triples", RdfFormat.N_TRIPLES),
        ("application/ld+json", RdfFormat.JSON_LD),
        ("application/rdf+xml", RdfFormat.RDF_XML),
        ("text/n3", RdfFormat.N3),
    ),
    aliases={
        "application/turtle": "text/turtle",
        "application/x-turtle": "text/turtle",
        "application/json": "application/ld+json",
        "application/xml": "application/rdf+xml",
    },
    keywords={
        "turtle": "text/turtle",
        "ttl": "text/turtle",
        "nt": "application/n-triples",
        "ntriples": "application/n-triples",
        "n-triples": "application/n-triples",
        "json": "application/ld+json",
        "jsonld": "application/ld+json",
        "json-ld": "application/ld+json",
        "xml": "application/rdf+xml",
        "rdfxml": "application/rdf+xml",
        "rdf+xml": "application/rdf+xml",
        "n3": "text/n3",
    },
)

# JSON-LD 1.1 has no triple terms (RDF 1.2): pyoxigraph's writer refuses them mid-answer.
TRIPLE_TERM_GRAPHS = Table(
    name="RDF 1.2 graph (with triple terms, which JSON-LD cannot carry)",
    formats=tuple((m, f) for m, f in GRAPHS.formats if f != RdfFormat.JSON_LD),
    aliases={a: c for a, c in GRAPHS.aliases.items() if c != "application/ld+json"},
    keywords={k: m for k, m in GRAPHS.keywords.items() if m != "application/ld+json"},
)


@dataclass(frozen=True)
class MediaRange:
    """One entry of an Accept header."""

    type: str
    subtype: str
    q: float
    position: int

    def specificity(self, media_type: str) -> int:
        """How closely this range names `media_type`: 2 exact, 1 `type/*`, 0 `*/*`, -1 no match."""
        mtype, _, msubtype = media_type.partition("/")
        if self.type == "*":
            return 0 if self.subtype == "*" else -1
        if self.type != mtype:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == msubtype else -1


def parse_accept(header: str | None) -> list[MediaRange]:
    """Parse an Accept header; entries that do not parse are skipped, as clients expect."""
    ranges: list[MediaRange] = []
    for position, item in enumerate((header or "").split(",")):
        media, *params = (part.strip() for part in item.split(";"))
        mtype, slash, subtype = media.lower().partition("/")
        if not slash or not mtype or not subtype:
            continue
        q = _qvalue(params)
        if q is not None:
            ranges.append(MediaRange(mtype, subtype, q, position))
    return ranges


def _qvalue(params: list[str]) -> float | None:
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                q = float(value.strip())
            except ValueError:
                return None
            return q if 0.0 <= q <= 1.0 else None
    return 1.0


@dataclass(frozen=True)
class Choice:
    """The representation chosen: canonical media type and the pyoxigraph format writing it."""

    media_type: str
    format: Format

    @property
    def content_type(self) -> str:
        """Content-Type header value; text types say their charset, as RFC 6838 asks."""
        if self.media_type.startswith("text/"):
            return f"{self.media_type}; charset=utf-8"
        return self.media_type


def choose(table: Table, accept: str | None, formats: Iterable[str] = ()) -> Choice:
    """Pick the representation for `table`: a known `format=` value wins, else the Accept header.

    `format=` may be repeated (SPARQLWrapper sends `format=tsv&format=text/tab-separated-values`),
    so the first value this table knows wins; values given but none known is a 406.
    """
    formats = [f for f in formats if f]
    if formats:
        return _choose_by_keyword(table, formats)
    ranges = parse_accept(accept)
    if not ranges:
        return table.choice(table.formats[0][0])
    best: tuple[tuple[float, int, int, int], str] | None = None
    for index, (media_type, names) in enumerate(_candidates(table)):
        match = _best_match(ranges, names)
        if match is None or match[1].q <= 0.0:
            continue
        specificity, accepted = match
        key = (accepted.q, specificity, -accepted.position, -index)
        if best is None or key > best[0]:
            best = (key, media_type)
    if best is None:
        raise NotAcceptable(
            f"no {table.name} representation matches Accept: {accept}; "
            f"available: {', '.join(table.media_types())}"
        )
    return table.choice(best[1])


def _candidates(table: Table) -> list[tuple[str, list[str]]]:
    """Each canonical media type with every name (canonical first, then aliases) it answers to."""
    return [
        (media_type, [media_type, *(a for a, c in table.aliases.items() if c == media_type)])
        for media_type, _ in table.formats
    ]


def _best_match(ranges: list[MediaRange], names: list[str]) -> tuple[int, MediaRange] | None:
    """The most specific range matching any of `names` (RFC 9110: specific ranges override).

    Wildcards match the canonical name only: `application/*` must not get Turtle through the
    `application/turtle` alias, since the answer is labelled `text/turtle`.
    """
    canonical = names[0]
    scored = [
        (s, r) for r in ranges for n in names if (s := r.specificity(n)) == 2 or (s >= 0 and n == canonical)
    ]
    if not scored:
        return None
    top = max(s for s, _ in scored)
    return top, max((r for s, r in scored if s == top), key=lambda r: (r.q, -r.position))


def _choose_by_keyword(table: Table, formats: list[str]) -> Choice:
    for value in formats:
        name = value.strip().lower()
        media_type = table.keywords.get(name) or table.aliases.get(name) or name
        if media_type in dict(table.formats):
            return table.choice(media_type)
    raise NotAcceptable(
        f"format={formats[0]} is not available for a {table.name}; "
        f"choose one of: {', '.join(sorted(table.keywords))}"
    )
