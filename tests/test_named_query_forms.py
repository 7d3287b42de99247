"""The named queries, rewritten to stay linear in the data, answer exactly what their plain forms do.

The fast texts (kg/queries) join projected subqueries by hashing and ask `EXISTS` per entity;
the plain ones (tests/named_plain) say the same thing the obvious way. Both run on a store of
our own articles plus a small graph of the cases where the forms could part: a person with two
names and two aliases, mentions by something that is not a news article, an event that is also
a meeting, a post with both an organization and a jurisdiction, a source without a URL, a
holding without a date. Rows are compared as sorted bags, and GROUP_CONCAT values as sets of
their parts, whose order SPARQL leaves to the engine (bench/named_rows.py compares the same
way on stores of millions of quads).
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from bench.named_rows import canonical_rows  # the comparison bench.named_rows runs on large stores
from kg.config import load_settings
from kg.ingest import Ingestor
from kg.named import named_queries
from kg.store import EmbeddedStore

PLAIN = Path(__file__).parent / "named_plain"

EDGE_CASES = """
@prefix schema: <https://schema.org/> . @prefix org: <http://www.w3.org/ns/org#> .
@prefix kg: <https://kg.example.org/def/kg#> . @prefix prov: <http://www.w3.org/ns/prov#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix x: <https://forms.example.org/> .

x:a1 a schema:NewsArticle ; schema:url "https://forms.example.org/news/1" ;
  schema:mentions x:ann, x:summit, x:board, x:talks .
x:a2 a schema:NewsArticle ; schema:mentions x:ann, x:bo .
x:note a schema:CreativeWork ; schema:mentions x:cy, x:fair, x:guild .

x:ann a schema:Person ; schema:name "Ann Quill", "Ann B. Quill" ;
  schema:alternateName "A. Quill", "Annie Quill" .
x:bo a schema:Person ; schema:name "Bo Rennet" .
x:cy a schema:Person ; schema:name "Cy Noone" .

x:board a org:Organization ; schema:name "Harbour Board", "The Harbour Board" ;
  schema:alternateName "Board of the Harbour" ; kg:acronym "HB" .
x:guild a org:Organization ; schema:name "Lantern Guild" .
x:land a schema:Country ; schema:name "Lowland" .

x:series a kg:EventSeries, schema:Event ; schema:name "Harbour Summits" .
x:summit a schema:Event ; schema:name "Third Harbour Summit", "Harbour Summit III" ;
  kg:series x:series ; kg:ordinal 3 ; schema:location x:land ;
  schema:startDate "2031-04-01"^^xsd:date ; schema:endDate "2031-04-03"^^xsd:date .
x:talks a schema:Event, kg:Meeting ; schema:name "Talks" .
x:fair a schema:Event ; schema:name "Lantern Fair" .

x:m1 a kg:Meeting ; kg:participant x:ann, x:bo ; prov:wasDerivedFrom x:a1, x:a2 ;
  schema:startDate "2031-04-02"^^xsd:date ; schema:superEvent x:summit .

x:post a org:Post ; kg:title "Harbour Master", "Harbour-Master" ; org:postIn x:board ; kg:jurisdiction x:land .
x:h1 a kg:PostHolding ; org:member x:ann ; kg:post x:post ; prov:wasDerivedFrom x:a1 ;
  kg:attestedOn "2031-04-01"^^xsd:date .
x:h2 a kg:PostHolding ; org:member x:bo ; kg:post x:post ; prov:wasDerivedFrom x:a2 .

x:chair skos:prefLabel "chair"@en .
x:p1 a kg:Participation ; kg:person x:ann ; kg:event x:summit ; kg:role x:chair ;
  prov:wasDerivedFrom x:a1, x:a2 .
x:video skos:prefLabel "video message"@en .
x:s1 a kg:Statement ; kg:person x:ann ; kg:event x:summit ; kg:mode x:video ; prov:wasDerivedFrom x:a2 .
x:s2 a kg:Statement ; kg:person x:bo ; kg:event x:summit ; prov:wasDerivedFrom x:a1 .

x:captain skos:prefLabel "captain"@en ; kg:seniority 2 .
x:r1 a kg:RankAttestation ; kg:person x:ann ; kg:rank x:captain ; prov:wasDerivedFrom x:a1 ;
  kg:attestedOn "2031-04-01"^^xsd:date .
x:r2 a kg:RankAttestation ; kg:person x:ann ; kg:rank x:captain ; prov:wasDerivedFrom x:a2 ;
  kg:attestedOn "2031-05-01"^^xsd:date .
"""


@pytest.fixture(scope="module")
def store(own_articles: list[Path]) -> ox.Store:
    """Our own articles ingested in memory, plus the edge cases in the default graph the queries read."""
    embedded = EmbeddedStore.open(":memory:")
    ingestor = Ingestor(embedded, load_settings(store=":memory:"))
    ingestor.ensure_reference()
    outcomes = ingestor.ingest_paths(own_articles)
    assert all(o.status == "stored" for o in outcomes), [(o.source, o.error) for o in outcomes if o.status != "stored"]
    embedded.inner.load(EDGE_CASES.encode(), format=ox.RdfFormat.TURTLE)
    return embedded.inner


def test_every_named_query_has_a_plain_form() -> None:
    assert {p.stem for p in PLAIN.glob("*.rq")} == set(named_queries())


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_named_query_answers_the_rows_of_its_plain_form(store: ox.Store, name: str) -> None:
    plain = (PLAIN / f"{name}.rq").read_text(encoding="utf-8")
    fast = named_queries()[name].sparql
    plain_columns = [v.value for v in store.query(plain).variables]
    assert [v.value for v in store.query(fast).variables] == plain_columns, name
    expected = canonical_rows(store, plain)
    assert expected, f"{name}: the plain form finds nothing here, so the comparison would prove nothing"
    assert canonical_rows(store, fast) == expected, name


def test_the_edge_cases_reach_the_answers(store: ox.Store) -> None:
    """The hand-made cases are not filtered out before they can tell the forms apart."""
    people = {row[1] for row in canonical_rows(store, named_queries()["people"].sparql)}
    assert '"Ann B. Quill"' in people and '"Cy Noone"' not in people
    events = {row[1] for row in canonical_rows(store, named_queries()["events"].sparql)}
    assert '"Harbour Summit III"' in events and not {'"Talks"', '"Lantern Fair"', '"Harbour Summits"'} & events
    positions = canonical_rows(store, named_queries()["positions"].sparql)
    assert {row[2] for row in positions if row[1] == '"Harbour Master"'} == {'"Harbour Board"', '"Lowland"',
                                                                             '"The Harbour Board"'}
    assert not [row for row in positions if row[1] == '"Harbour-Master"'], "a post's two spellings gave two rows"
