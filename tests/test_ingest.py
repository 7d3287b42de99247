"""Ingest: every article goes in conforming with its key facts; bad graphs change nothing.

The capabilities are tested on our own articles (tests/articles); two checks of facts in the
real articles belong to the `corpus` group and need ../shared/corpus.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.build import build_article
from kg.facts import Article, ArticleFacts, Event, Meeting, Person
from kg.loaders import read_path
from kg.named import named_query

PREFIXES = """
PREFIX schema: <https://schema.org/>
PREFIX kg: <https://kg.example.org/def/kg#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


def rows(store, query: str) -> list[dict[str, str]]:
    result = store.query(PREFIXES + query)
    return [{v.value: s[v].value for v in result.variables if s[v] is not None} for s in result]


def ingest_corpus(ingestor, paths):
    outcomes = ingestor.ingest_paths(paths)
    assert outcomes and all(o.status == "stored" for o in outcomes), [
        (o.source, o.error, o.validation and o.validation.findings) for o in outcomes
    ]
    return outcomes


@pytest.mark.corpus
def test_each_real_article_ingests_and_conforms(memory_ingestor, corpus_articles):
    outcomes = ingest_corpus(memory_ingestor, corpus_articles)
    for o in outcomes:
        assert o.validation.conforms


def test_each_own_article_ingests_and_conforms(memory_ingestor, own_articles):
    outcomes = ingest_corpus(memory_ingestor, own_articles)
    for o in outcomes:
        assert o.validation.conforms
        assert not [f for f in o.validation.findings if f.severity == "Violation"]
    graphs = {g.value for g in memory_ingestor.store.named_graphs()}
    assert {o.graph for o in outcomes} <= graphs


@pytest.mark.corpus
def test_head_of_delegation_at_the_114th_iom_council_session(memory_ingestor, corpus_articles):
    ingest_corpus(memory_ingestor, corpus_articles)
    found = rows(memory_ingestor.store, """
        SELECT ?name ?rank WHERE {
          ?session kg:series/schema:name "Council of the International Organization for Migration" ;
                   kg:ordinal 114 .
          ?p a kg:Participation ; kg:event ?session ; kg:person ?person ;
             kg:role/skos:prefLabel "head of delegation"@en ; prov:wasDerivedFrom ?article .
          ?person schema:name ?name .
          ?r a kg:RankAttestation ; kg:person ?person ; kg:rank/skos:prefLabel ?rank ; prov:wasDerivedFrom ?article .
        }""")
    assert found == [{"name": "Vusal Huseynov", "rank": "II rank state migration service counselor"}]


@pytest.mark.corpus
def test_who_he_met_at_the_2nd_global_forum_on_refugees(memory_ingestor, corpus_articles):
    ingest_corpus(memory_ingestor, corpus_articles)
    found = rows(memory_ingestor.store, """
        SELECT DISTINCT ?other WHERE {
          ?forum kg:ordinal 2 ; kg:series/schema:name ?series .
          FILTER (CONTAINS(LCASE(?series), "refugee"))
          ?m a kg:Meeting ; schema:superEvent ?forum ; kg:participant ?a, ?b .
          ?a schema:name "Vusal Huseynov" . ?b schema:name ?other .
          FILTER (?a != ?b)
        }""")
    assert found == [{"other": "Yasin Ekrem Serim"}]


def test_article_has_provenance(memory_ingestor, own_articles):
    jsonl = next(p for p in own_articles if p.suffix == ".jsonl")
    outcome = ingest_corpus(memory_ingestor, [jsonl])[0]
    published = re.search(r'"published": "(\d{4}-\d\d-\d\d)', jsonl.read_text(encoding="utf-8")).group(1)
    found = rows(memory_ingestor.store, f"""
        SELECT ?article ?when ?version WHERE {{ GRAPH <{outcome.graph}> {{
          <{outcome.graph}> a kg:ArticleGraph ; prov:wasDerivedFrom ?article ; prov:generatedAtTime ?when ;
                            prov:wasGeneratedBy/kg:loaderVersion ?version .
          ?article a schema:NewsArticle ; schema:datePublished "{published}"^^<http://www.w3.org/2001/XMLSchema#date> .
        }} }}""")
    assert len(found) == 1 and found[0]["article"] == outcome.article


def test_reingesting_replaces_instead_of_duplicating(memory_ingestor, own_articles):
    store = memory_ingestor.store
    ingest_corpus(memory_ingestor, own_articles)
    before_graphs = sorted(g.value for g in store.named_graphs())
    before_people = rows(store, "SELECT (COUNT(*) AS ?n) WHERE { ?p a schema:Person }")
    before_holdings = rows(store, "SELECT (COUNT(*) AS ?n) WHERE { ?p a kg:PostHolding }")
    ingest_corpus(memory_ingestor, own_articles)
    assert sorted(g.value for g in store.named_graphs()) == before_graphs
    assert rows(store, "SELECT (COUNT(*) AS ?n) WHERE { ?p a schema:Person }") == before_people
    assert rows(store, "SELECT (COUNT(*) AS ?n) WHERE { ?p a kg:PostHolding }") == before_holdings


def test_person_named_in_several_articles_is_counted_once(memory_ingestor, own_articles):
    store = memory_ingestor.store
    outcomes = ingest_corpus(memory_ingestor, [p for p in own_articles if p.suffix == ".txt"])
    query = 'SELECT (COUNT(*) AS ?n) WHERE { ?p a schema:Person ; schema:name "Kamran Aliyev" }'
    assert rows(store, query) == [{"n": "1"}]
    mentioning = rows(store, """SELECT ?g WHERE {
        GRAPH ?g { ?p a schema:Person ; schema:name "Kamran Aliyev" } }""")
    named_in = {o.graph for o in outcomes if "Kamran Aliyev" in Path(o.source).read_text(encoding="utf-8")}
    assert {r["g"] for r in mentioning} == named_in and len(named_in) > 2
    store.drop_graph(ox.NamedNode(sorted(named_in)[0]))
    assert rows(store, query) == [{"n": "1"}]


def broken_article() -> ArticleFacts:
    """A meeting with a single participant: the shapes must refuse it."""
    return ArticleFacts(
        article=Article(text="A made-up article about a meeting of one.", title="One-person meeting",
                        published="2024-03-01", source="broken.txt"),
        people=[Person("Ana Lopez")],
        events=[Event(key="e1", name="Regional Consultation on Migration")],
        meetings=[Meeting(participants=["Ana Lopez"], event="e1", evidence="Ana Lopez met.")],
    )


def test_broken_article_graph_is_rejected_and_store_untouched(memory_ingestor, own_articles):
    store = memory_ingestor.store
    ingest_corpus(memory_ingestor, own_articles)
    before = store.dump(ox.RdfFormat.N_QUADS)
    built = build_article(broken_article(), memory_ingestor.ref, memory_ingestor.minter)
    outcome = memory_ingestor.commit(built)
    assert outcome.status == "rejected"
    failing = [(f.shape.rsplit("#", 1)[-1], f.path.rsplit("#", 1)[-1], f.severity)
               for f in outcome.validation.findings if f.severity == "Violation"]
    assert failing == [("MeetingShape", "participant", "Violation")]
    assert store.dump(ox.RdfFormat.N_QUADS) == before


def test_unreadable_file_is_reported_and_batch_goes_on(memory_ingestor, own_articles, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00garbage \xc3\x28")
    outcomes = memory_ingestor.ingest_paths([bad, own_articles[0]])
    assert [o.status for o in outcomes] == ["error", "stored"]
    assert "bad.txt" in outcomes[0].error


def test_named_queries_have_the_contract_columns(memory_ingestor, own_articles):
    ingest_corpus(memory_ingestor, own_articles)
    contract = {
        "people": ["person", "name", "aliases"],
        "organizations": ["organization", "name", "aliases"],
        "positions": ["person_name", "title", "organization_name", "as_of", "article"],
        "ranks": ["person_name", "rank_label", "as_of", "article"],
        "events": ["event", "name", "series_name", "ordinal", "location_name", "start", "end"],
        "participations": ["person_name", "event_name", "role", "article"],
        "meetings": ["meeting", "participant_names", "date", "location_name", "event_name", "article"],
        "statements": ["person_name", "event_name", "mode", "article"],
    }
    for name, columns in contract.items():
        result = memory_ingestor.store.query(named_query(name).sparql)
        assert [v.value for v in result.variables] == columns, name
        assert len(list(result)) > 0, name


def test_reading_the_same_file_gives_the_same_article_iri(memory_ingestor, own_articles):
    first = memory_ingestor.build(read_path(own_articles[1])[0])
    second = memory_ingestor.build(read_path(own_articles[1])[0])
    assert first.article == second.article and first.graph_iri == second.graph_iri


def test_a_fault_in_extraction_is_that_articles_error(memory_ingestor, own_articles, monkeypatch):
    import kg.ingest

    real = kg.ingest.extract
    texts = [p for p in own_articles if p.suffix == ".txt"]

    def flaky(article):
        if article.source == str(texts[2]):
            raise IndexError("list index out of range")
        return real(article)

    monkeypatch.setattr(kg.ingest, "extract", flaky)
    outcomes = memory_ingestor.ingest_paths(texts)
    assert [o.status for o in outcomes].count("error") == 1
    assert sum(o.ok for o in outcomes) == len(texts) - 1
    bad = next(o for o in outcomes if o.status == "error")
    assert "extraction failed (IndexError" in bad.error and texts[2].name in bad.error
