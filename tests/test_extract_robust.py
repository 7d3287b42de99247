"""Extraction never crashes on odd input, and what it returns still passes SHACL.

Every article of the project's set (and of the real corpus, where present) is mangled the ways
crawled pages go wrong: blank and whitespace-only paragraphs, a very long body, no headline,
typographic quotes and dashes, an all-caps headline or body, lower case, no punctuation, a body
cut mid-sentence, one word, a date that is no date. Each mangled article goes through
`kg.extract.extract` and then through the ingest gate (build, SHACL validation, commit).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from kg.extract import extract
from kg.facts import Article, ArticleFacts
from kg.loaders import read_path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parents[1] / "shared" / "corpus" / "articles"
SOURCES = sorted((HERE / "articles").iterdir()) + (sorted(CORPUS.iterdir()) if CORPUS.is_dir() else [])
TYPOGRAPHIC = str.maketrans({"'": "’", '"': "”", "-": "–", " ": "\u00a0"})


def _with(article: Article, **changes: object) -> Article:
    return dataclasses.replace(article, **changes)


MANGLES: dict[str, Callable[[Article], Article]] = {
    "blank paragraphs": lambda a: _with(a, text="\n\n \n\n\t\n\n".join(a.text.split("\n\n")) + "\n\n\n"),
    "very long": lambda a: _with(a, text="\n\n".join([a.text] * 40)),
    "no title": lambda a: _with(a, title=None),
    "empty title": lambda a: _with(a, title="   "),
    "typographic quotes and dashes": lambda a: _with(
        a, text=a.text.translate(TYPOGRAPHIC), title=(a.title or "").translate(TYPOGRAPHIC) or None
    ),
    "all-caps headline": lambda a: _with(a, title=(a.title or a.text.split("\n")[0]).upper()),
    "all caps": lambda a: _with(a, text=a.text.upper(), title=(a.title or "").upper() or None),
    "lower case": lambda a: _with(a, text=a.text.lower()),
    "no punctuation": lambda a: _with(a, text=re.sub(r"[.,;:()\"“”]", " ", a.text)),
    "cut mid-sentence": lambda a: _with(a, text=a.text[: len(a.text) // 2 + 7]),
    "one word": lambda a: _with(a, text="Baku"),
    "one paragraph": lambda a: _with(a, text=" ".join(a.text.split())),
    "no date": lambda a: _with(a, published=None),
    "leap day": lambda a: _with(a, published="2024-02-29"),
}


def _articles() -> list[tuple[str, Article]]:
    found = []
    for path in SOURCES:
        for number, article in enumerate(read_path(path), start=1):
            found.append((f"{path.name}:{number}", article))
    return found


ARTICLES = _articles()


@pytest.mark.parametrize("mangle", sorted(MANGLES))
def test_mangled_articles_extract_and_pass_shacl(memory_ingestor, mangle: str) -> None:
    for name, article in ARTICLES:
        odd = MANGLES[mangle](article)
        facts = extract(odd)
        assert isinstance(facts, ArticleFacts), name
        outcome = memory_ingestor.commit(memory_ingestor.build(odd))
        assert outcome.ok, (name, mangle, outcome.validation)


@pytest.mark.parametrize("published", ["not a date", "2024-13-45", "Tue, 16 Jan 2024", "", "16.01.2024"])
def test_a_date_that_is_no_iso_date_never_breaks_extraction(published: str) -> None:
    for name, article in ARTICLES[:6]:
        assert isinstance(extract(_with(article, published=published)), ArticleFacts), name


@pytest.mark.parametrize("text", ["", "\n\n\n", "   \t ", ".", "—", "© 2024"])
def test_an_empty_or_furniture_only_body_gives_no_facts(text: str) -> None:
    facts = extract(Article(text=text, title=None))
    assert isinstance(facts, ArticleFacts) and not facts.people and not facts.events
