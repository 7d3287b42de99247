"""Unit tests of the Accept tables: what each header and `format=` value is answered with."""

from __future__ import annotations

import pytest
from pyoxigraph import QueryResultsFormat, RdfFormat

from kg.errors import NotAcceptable
from kg.sparql.negotiate import GRAPHS, RESULTS, Choice, choose, parse_accept

SPARQLWRAPPER_JSON = "application/sparql-results+json,application/json,text/javascript,application/javascript"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        (None, "application/sparql-results+json"),
        ("", "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("application/json", "application/sparql-results+json"),
        ("application/xml", "application/sparql-results+xml"),
        ("text/*", "text/csv"),
        (SPARQLWRAPPER_JSON, "application/sparql-results+json"),
        ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv, application/sparql-results+xml;q=0.9", "text/csv"),
        ("text/tab-separated-values, text/csv", "text/tab-separated-values"),
        ("*/*;q=0.1, text/csv;q=0.2", "text/csv"),
        ("*/*, application/sparql-results+json;q=0", "application/sparql-results+xml"),
        ("TEXT/CSV", "text/csv"),
        ("text/csv; charset=utf-8", "text/csv"),
        ("text/html, */*;q=0.1", "application/sparql-results+json"),
        (BROWSER, "application/sparql-results+xml"),
        ("garbage, text/csv", "text/csv"),
        ("text/csv;q=abc, text/tab-separated-values", "text/tab-separated-values"),
    ],
)
def test_results_by_accept(accept: str | None, media_type: str) -> None:
    assert choose(RESULTS, accept).media_type == media_type


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        (None, "text/turtle"),
        ("*/*", "text/turtle"),
        ("text/turtle", "text/turtle"),
        ("application/n-triples", "application/n-triples"),
        ("application/ld+json", "application/ld+json"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("text/n3", "text/n3"),
        ("application/turtle,text/turtle", "text/turtle"),
        ("application/x-turtle", "text/turtle"),
        ("application/json", "application/ld+json"),
        ("application/xml", "application/rdf+xml"),
        ("application/ld+json,application/x-json+ld", "application/ld+json"),
        ("application/*", "application/n-triples"),
        ("text/turtle;q=0.5, application/rdf+xml;q=0.8", "application/rdf+xml"),
        ("application/rdf+xml, text/turtle", "application/rdf+xml"),
    ],
)
def test_graphs_by_accept(accept: str | None, media_type: str) -> None:
    assert choose(GRAPHS, accept).media_type == media_type


@pytest.mark.parametrize(
    ("table", "accept"),
    [
        (RESULTS, "text/html"),
        (RESULTS, "text/turtle"),
        (RESULTS, "application/sparql-results+json;q=0"),
        (GRAPHS, "application/sparql-results+json"),
        (GRAPHS, "text/csv"),
        (GRAPHS, "image/png, text/html;q=0.9"),
    ],
)
def test_unsatisfiable_accept_is_406(table, accept: str) -> None:
    with pytest.raises(NotAcceptable) as info:
        choose(table, accept)
    assert info.value.status == 406
    assert table.media_types()[0] in info.value.message


@pytest.mark.parametrize(
    ("table", "formats", "media_type"),
    [
        (RESULTS, ["json"], "application/sparql-results+json"),
        (RESULTS, ["xml"], "application/sparql-results+xml"),
        (RESULTS, ["csv"], "text/csv"),
        (RESULTS, ["tsv", "text/tab-separated-values"], "text/tab-separated-values"),
        (RESULTS, ["application/sparql-results+xml"], "application/sparql-results+xml"),
        (RESULTS, ["JSON"], "application/sparql-results+json"),
        (GRAPHS, ["turtle"], "text/turtle"),
        (GRAPHS, ["json"], "application/ld+json"),
        (GRAPHS, ["json-ld", "application/ld+json"], "application/ld+json"),
        (GRAPHS, ["rdf+xml", "application/rdf+xml"], "application/rdf+xml"),
        (GRAPHS, ["xml"], "application/rdf+xml"),
        (GRAPHS, ["nt"], "application/n-triples"),
        (GRAPHS, ["n3"], "text/n3"),
        (GRAPHS, ["bogus", "ttl"], "text/turtle"),
    ],
)
def test_format_parameter_overrides_accept(table, formats: list[str], media_type: str) -> None:
    assert choose(table, "text/html", formats).media_type == media_type


def test_unknown_format_parameter_is_406() -> None:
    with pytest.raises(NotAcceptable, match="format=turtle"):
        choose(RESULTS, None, ["turtle"])


def test_empty_format_parameter_is_ignored() -> None:
    assert choose(RESULTS, "text/csv", [""]).media_type == "text/csv"


def test_every_table_entry_is_reachable_and_named_by_pyoxigraph() -> None:
    for table in (RESULTS, GRAPHS):
        for media_type, fmt in table.formats:
            assert choose(table, media_type) == Choice(media_type, fmt)
            assert fmt.media_type.split(";")[0] == media_type
        for alias, canonical in table.aliases.items():
            assert choose(table, alias).media_type == canonical
        for keyword, canonical in table.keywords.items():
            assert choose(table, None, [keyword]).media_type == canonical


@pytest.mark.parametrize(
    ("choice", "content_type"),
    [
        (Choice("text/csv", QueryResultsFormat.CSV), "text/csv; charset=utf-8"),
        (Choice("text/turtle", RdfFormat.TURTLE), "text/turtle; charset=utf-8"),
        (
            Choice("application/sparql-results+json", QueryResultsFormat.JSON),
            "application/sparql-results+json",
        ),
        (Choice("application/n-triples", RdfFormat.N_TRIPLES), "application/n-triples"),
    ],
)
def test_text_types_say_their_charset(choice: Choice, content_type: str) -> None:
    assert choice.content_type == content_type


def test_parse_accept_reads_q_values_and_skips_bad_entries() -> None:
    ranges = parse_accept("text/csv;q=0.3, bad, */*;q=2, application/json ; q=0.7")
    assert [(r.type, r.subtype, r.q) for r in ranges] == [("text", "csv", 0.3), ("application", "json", 0.7)]
