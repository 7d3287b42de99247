"""Which queries the front process answers itself: the bounded fragment, and answers held or handed on."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from kg.errors import QuerySyntaxError, QueryTimeout
from kg.sparql.bounded import bounded
from kg.sparql.front import FrontAnswers
from kg.sparql.protocol import QueryRequest
from kg.sparql.stream import HOLD, Budget
from kg.store import EmbeddedStore
from kg.store.checkpoints import Checkpoints

P = "http://example.org/p"
JSON = ox.QueryResultsFormat.JSON

IN_FRAGMENT = [
    "ASK {}",
    "ask{}",
    "SELECT ?p ?o WHERE { <http://example.org/s/1> ?p ?o }",
    "PREFIX ex: <http://example.org/> SELECT * { ex:s ?p ?o . } LIMIT 10",
    "BASE <http://example.org/> SELECT ?s FROM <g> FROM NAMED <h> { ?s a <Person> }",
    'SELECT ?s { ?s <http://example.org/name> "Ada"@en }',
    'SELECT ?s { ?s <http://example.org/n> "1"^^<http://www.w3.org/2001/XMLSchema#integer> }',
    "SELECT ?s ?p ?o { ?s ?p ?o }",  # every row is answer: long answers stop at one chunk
    "# a comment\nASK { ?s ?p ?o }",
]

OUTSIDE = [
    "SELECT DISTINCT ?p { ?s ?p ?o }",  # deduplication reads rows that write nothing
    "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }",
    "SELECT ?s { ?s ?p ?s }",  # a repeated variable filters the scan
    "SELECT ?s { ?s ?p ?o } OFFSET 1000000",
    "SELECT ?s { ?s ?p ?o } ORDER BY ?s",
    "SELECT ?s { ?s ?p ?o . ?o ?q ?r }",  # a join
    "SELECT ?s { ?s ?p ?o ; ?q ?r }",
    "SELECT ?s { ?s ?p ?o FILTER(?o > 1) }",
    "SELECT ?s { ?s <http://example.org/p>* ?o }",  # a path
    "SELECT ?s { GRAPH ?g { ?s ?p ?o } }",
    "SELECT ?s { OPTIONAL { ?s ?p ?o } }",
    "SELECT ?s { { SELECT ?s { ?s ?p ?o } ORDER BY ?s } }",
    "CONSTRUCT { ?s ?p ?o } { ?s ?p ?o }",
    "DESCRIBE <http://example.org/s>",
    "SELECT ?s { ?s ?p 1 }",  # numbers are not read by the fragment: the worker takes them
    "SELECT ?s { ?s ?p ?o } LIMIT",
    "SELECT ?s { ?s ?p ?o } VALUES ?s { <http://example.org/s> }",
    "SELECT * WHERE { ?s ?p }",  # not even a query: the engine's error comes from a worker
    "SELECT ?s { ?s ?p 'never closed }",
    "ASK { " + " " * 5000 + "}",  # long texts are not read here
]


@pytest.mark.parametrize("text", IN_FRAGMENT)
def test_bounded_queries_are_recognised(text: str) -> None:
    assert bounded(text) is not None


@pytest.mark.parametrize("text", OUTSIDE)
def test_everything_else_goes_to_a_worker(text: str) -> None:
    assert bounded(text) is None


def test_the_algebra_is_the_one_pattern_and_its_limit() -> None:
    found = bounded("SELECT ?o { <http://example.org/s> <http://example.org/p> ?o } LIMIT 25")
    assert found is not None
    assert found.form == "SELECT" and found.limit == 25
    assert [t.text for t in found.pattern] == ["<http://example.org/s>", "<http://example.org/p>", "?o"]
    assert bounded("ASK {}").pattern == ()


@pytest.fixture
def front(tmp_path):
    store = EmbeddedStore.open(tmp_path / "store")
    triples = [ox.Triple(ox.NamedNode(f"http://example.org/s/{i}"), ox.NamedNode(P), ox.Literal(str(i)))
               for i in range(3000)]
    store.replace_graph(ox.NamedNode("http://example.org/g"), triples)
    checkpoints = Checkpoints(store, read_here=True)
    yield FrontAnswers(checkpoints), store
    checkpoints.close()
    store.close()


def budget(seconds: float = 10.0) -> Budget:
    return Budget(seconds=seconds, max_bytes=10**9)


def test_a_short_answer_is_held_and_a_long_one_handed_on(front) -> None:
    answers, _ = front
    held = answers.try_answer(QueryRequest(f"SELECT ?o {{ <http://example.org/s/7> <{P}> ?o }}"), JSON, budget())
    assert json.loads(held)["results"]["bindings"] == [{"o": {"type": "literal", "value": "7"}}]
    assert answers.try_answer(QueryRequest(f"SELECT ?s ?o {{ ?s <{P}> ?o }}"), JSON, budget()) is None
    assert answers.try_answer(QueryRequest(f"SELECT (COUNT(*) AS ?n) {{ ?s <{P}> ?o }}"), JSON, budget()) is None
    assert (answers.answered, answers.handed_on) == (1, 1)  # the count was never tried here


def test_the_front_reads_the_newest_checkpoint_and_frees_the_old(front) -> None:
    answers, store = front
    ask = QueryRequest("ASK { <http://example.org/new> ?p ?o }")
    assert json.loads(answers.try_answer(ask, JSON, budget()))["boolean"] is False
    old = answers.checkpoints.on_disk()
    store.replace_graph(ox.NamedNode("http://example.org/g2"),
                        [ox.Triple(ox.NamedNode("http://example.org/new"), ox.NamedNode(P), ox.Literal("x"))])
    answers.checkpoints.publish()
    assert json.loads(answers.try_answer(ask, JSON, budget()))["boolean"] is True
    assert answers.checkpoints.on_disk() != old and len(answers.checkpoints.on_disk()) == 1


def test_errors_in_the_front_are_the_workers_errors(front) -> None:
    answers, _ = front
    with pytest.raises(QuerySyntaxError):
        answers.try_answer(QueryRequest("SELECT ?s { ?s undeclared:p ?o }"), JSON, budget())
    with pytest.raises(QueryTimeout):
        answers.try_answer(QueryRequest("ASK {}"), JSON, Budget(seconds=1e-9, max_bytes=10**9))
    assert len(answers.checkpoints.on_disk()) == 1  # pins given back on every path


def test_the_held_answer_never_passes_one_chunk(front) -> None:
    answers, _ = front
    request = QueryRequest(f"SELECT ?s {{ ?s <{P}> ?o }} LIMIT 10")
    assert len(answers.try_answer(request, JSON, budget())) < HOLD
