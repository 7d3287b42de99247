"""Minting IRIs: one rule per kind of thing, so the same real entity always gets the same IRI.

Entities that recur across articles (people, organizations, posts, events) get IRIs from their
normalised names; facts that belong to one article (attestations, participations, statements,
meetings) get IRIs inside that article's namespace and are replaced with it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from rdflib import URIRef

# Letters that Unicode does not decompose into a base letter and an accent, with the Latin
# letters English-language press writes for them ("Nərgiz" is printed "Nargiz").
LATIN_EQUIVALENTS = str.maketrans(
    {"ı": "i", "ə": "a", "ß": "ss", "ø": "o", "æ": "ae", "œ": "oe", "đ": "d", "ð": "d", "ł": "l", "þ": "th", "ħ": "h"}
)
SLUG_UNSAFE = re.compile(r"[^a-z0-9-]")


def fold(text: str) -> str:
    """Lower-case, strip accents and punctuation, collapse spaces: the key names are compared by."""
    if text.isascii():  # most names in English-language press: nothing to decompose (fast path)
        text = text.lower()
    else:
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c)).lower().translate(LATIN_EQUIVALENTS)
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


def slug(text: str) -> str:
    """A readable, stable IRI segment: 'Nadia Rahimova' -> 'nadia-rahimova'.

    The result is always plain ASCII `[a-z0-9-]`, whatever the spelling: a letter with no Latin
    equivalent is written as its code point ("u0436"), so a correctly read name can never make
    its article fail a shape's IRI pattern, and distinct names keep distinct slugs.
    """
    folded = fold(text).replace(" ", "-").replace("_", "-")
    return SLUG_UNSAFE.sub(lambda m: f"u{ord(m.group()):04x}", folded) or "unnamed"


def content_hash(text: str) -> str:
    """SHA-256 of the text with whitespace normalised, so re-flowed copies hash the same."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


class Minter:
    """Mints every IRI under one base IRI."""

    def __init__(self, base_iri: str) -> None:
        self.base = base_iri if base_iri.endswith("/") else base_iri + "/"

    def iri(self, path: str) -> URIRef:
        return URIRef(self.base + path)

    def article_id(self, *, url: str | None, text: str) -> str:
        """Stable article id: from the URL when there is one, else from the content."""
        key = url.strip() if url else content_hash(text)
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]

    def article(self, article_id: str) -> URIRef:
        return self.iri(f"id/article/{article_id}")

    def article_graph(self, article_id: str) -> URIRef:
        return self.iri(f"graph/article/{article_id}")

    def in_article(self, article_id: str, kind: str, n: int) -> URIRef:
        return self.iri(f"id/article/{article_id}/{kind}/{n}")

    def person(self, name: str) -> URIRef:
        return self.iri(f"id/person/{slug(name)}")

    def organization(self, name: str) -> URIRef:
        return self.iri(f"id/org/{slug(name)}")

    def local_organization(self, name: str, article_id: str) -> URIRef:
        """A body whose name any state's body could bear ("Ministry of Foreign Affairs"): its IRI
        is qualified by the article that names it, so two countries' ministries never merge."""
        return self.iri(f"id/org/{slug(name)}--{article_id}")

    def country(self, name: str) -> URIRef:
        return self.iri(f"id/country/{slug(name)}")

    def place(self, name: str) -> URIRef:
        return self.iri(f"id/place/{slug(name)}")

    def post(self, organization: URIRef, title: str) -> URIRef:
        owner = str(organization).rstrip("/").rsplit("/", 1)[-1]
        return self.iri(f"id/post/{owner}/{slug(title)}")

    def local_post(self, title: str, article_id: str) -> URIRef:
        """A post whose article names no body or country ("President X"): its IRI is qualified by
        the article, so the presidents of two articles never share one post."""
        return self.iri(f"id/post/{slug(title)}--{article_id}")

    def series(self, name: str) -> URIRef:
        return self.iri(f"id/series/{slug(name)}")

    def session(self, series: URIRef, ordinal: int) -> URIRef:
        owner = str(series).rstrip("/").rsplit("/", 1)[-1]
        return self.iri(f"id/event/{owner}/{ordinal}")

    def event(self, name: str) -> URIRef:
        return self.iri(f"id/event/{slug(name)}")

    def loader_agent(self, version: str) -> URIRef:
        return self.iri(f"id/agent/kg-loader/{version}")
