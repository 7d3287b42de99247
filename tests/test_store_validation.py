"""Whole-store validation (`kg validate` on a store) runs the compiled shapes as queries in the store
(kg.validation.native) and finds what pySHACL finds.

pySHACL is the reference: every shape fixture and every `kg validate` fixture (kg's shapes and a
user's own), loaded as a store holds them, an on-disk store of our own articles with faults put
in, and a store made to reach each way the native queries find a value (Python tests on blank
nodes, subclasses of target classes) give the same findings and verdict through both engines.
The NOT EXISTS constraints the compiler writes as MINUS (pyoxigraph's NOT EXISTS is quadratic
over a whole store) are covered by fixtures that break them.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Graph

from kg.cli import cli
from kg.config import load_settings
from kg.namespaces import bind_all
from kg.rdfterms import rdflib_graph
from kg.store import EmbeddedStore
from kg.validation.checks import validate_open_store, validate_store
from kg.validation.compile import minus_for_not_exists
from kg.validation.inputs import load_shapes_from
from kg.validation.shacl import compiled_shapes, load_shapes, validate_graph

HERE = Path(__file__).resolve().parent
FIXTURES = sorted((HERE / "shapes").glob("*.ttl"))
OWN = sorted((HERE / "articles").glob("a*"))
PREFIXES = {"kg": "https://kg.example.org/def/kg#", "prov": "http://www.w3.org/ns/prov#"}


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes(load_settings().shapes_dir)


def store_of(path: Path | None = None, *, data: bytes | None = None) -> ox.Store:
    """An in-memory store whose default graph holds the file's (or the Turtle's) triples, all graphs merged."""
    fmt = ox.RdfFormat.from_extension(path.suffix[1:]) if path is not None else ox.RdfFormat.TURTLE
    parsed = ox.parse(path=str(path), format=fmt) if path is not None else ox.parse(data, format=fmt)
    store = ox.Store()
    store.extend(ox.Quad(q.subject, q.predicate, q.object) for q in parsed)
    return store


def assert_native_equals_pyshacl(store: ox.Store, shapes: Graph):
    """The native engine on the store and pySHACL on the same triples: same findings, same verdict."""
    compiled = compiled_shapes(shapes)
    assert compiled is not None, "the shapes did not compile: nothing native would be tested"
    expected = validate_graph(rdflib_graph((q.triple for q in store), bind_all(Graph())), shapes)
    got = compiled.validate_store(store)
    assert Counter(got.findings) == Counter(expected.findings)
    assert got.conforms == expected.conforms
    return got


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_each_fixture_as_a_store_gives_pyshacls_findings(path, shapes):
    got = assert_native_equals_pyshacl(store_of(path), shapes)
    assert got.findings or path.name.split(".")[1].startswith("valid")  # the invalid fixtures do fail


VALIDATE_FIXTURES = HERE / "validate_fixtures"


@pytest.mark.parametrize("data,own_shapes,conforms", [
    ("kg_conforming.ttl", None, True),
    ("kg_failing.ttl", None, False),
    ("own_data/shelf.trig", "own_shapes", False),
], ids=["kg-conforming", "kg-failing", "own-shapes"])
def test_each_validate_fixture_as_a_store_gives_pyshacls_findings(data, own_shapes, conforms, shapes):
    used = load_shapes_from([VALIDATE_FIXTURES / own_shapes]) if own_shapes else shapes
    got = assert_native_equals_pyshacl(store_of(VALIDATE_FIXTURES / data), used)
    assert got.conforms is conforms


def short(iri: str) -> str:
    return re.split("[#/]", iri)[-1]


# Values that only the Python tests judge (an xsd:date, a pattern) given as blank nodes, which a
# query cannot name; targets reached through a subclass declared in the data; a class constraint
# met through a subclass; ill-typed and well-typed dates side by side.
TRICKY = b"""
@prefix kg: <https://kg.example.org/def/kg#> . @prefix schema: <https://schema.org/> .
@prefix org: <http://www.w3.org/ns/org#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix ex: <https://kg.example.org/def/extra#> .
ex:Minister rdfs:subClassOf ex:Official . ex:Official rdfs:subClassOf schema:Person .
<https://kg.example.org/id/person/ana-lopez> a ex:Minister .
<https://kg.example.org/id/person/ben-ode> a schema:Person ; schema:name "Ben Ode" .
_:someone a schema:Person ; schema:name "Someone" .
<https://kg.example.org/id/org/crs> a org:Organization ; schema:name "CRS" ; kg:acronym _:code, "crs", "CRS" .
<https://kg.example.org/id/r1> a kg:RankAttestation ; kg:person <https://kg.example.org/id/person/ana-lopez> ;
    kg:attestedOn _:day .
<https://kg.example.org/id/r2> a kg:RankAttestation ; kg:person <https://kg.example.org/id/person/ben-ode> ;
    kg:attestedOn "2021-02-30"^^xsd:date .
<https://kg.example.org/id/r3> a kg:RankAttestation ; kg:person _:someone ; kg:attestedOn "2021-02-03"^^xsd:date .
"""


def test_values_judged_in_python_and_targets_through_subclasses_are_found_as_pyshacl_finds_them(shapes):
    got = assert_native_equals_pyshacl(store_of(data=TRICKY), shapes)
    found = {(short(f.focus), short(f.path) if f.path else None, f.constraint) for f in got.findings}
    assert ("r1", "attestedOn", "DatatypeConstraintComponent") in found  # a blank node is no date
    assert ("r2", "attestedOn", "DatatypeConstraintComponent") in found  # nor is February the 30th
    assert ("crs", "acronym", "PatternConstraintComponent") in found  # "crs", and the blank node
    assert ("ana-lopez", "name", "MinCountConstraintComponent") in found  # a Person through two subclasses
    assert not any(f[0] == "r3" and f[2] == "ClassConstraintComponent" for f in found)
    blank_people = [f for f in got.findings if f.shape.endswith("PersonShape") and not f.focus.startswith("http")]
    assert {f.constraint for f in blank_people} >= {"NodeKindConstraintComponent", "PatternConstraintComponent"}


@pytest.fixture(scope="module")
def faulty_store(tmp_path_factory) -> str:
    """An on-disk store of our own articles, then faults no article would make, written past the gate."""
    path = str(tmp_path_factory.mktemp("faulty") / "store")
    done = CliRunner().invoke(cli, ["--store", path, "ingest", *map(str, OWN)])
    assert done.exit_code == 0, done.output
    store = EmbeddedStore.open(path)
    graph = next(g for g in store.named_graphs() if "/graph/article/" in g.value)
    # a meeting with one participant; a fact derived from an article no graph states; a date that is not one
    faults = """
          <https://kg.example.org/id/meeting/lonely> a kg:Meeting ;
              kg:participant <https://kg.example.org/id/person/kamran-aliyev> ;
              prov:wasDerivedFrom <https://kg.example.org/id/article/nowhere> ; kg:evidence "He met." .
          <https://kg.example.org/id/event/odd> a schema:Event ; schema:name "Odd" ;
              schema:startDate "soon" ."""
    store.update(f"""
        PREFIX kg: <https://kg.example.org/def/kg#> PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX schema: <https://schema.org/> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
        INSERT DATA {{ GRAPH <{graph.value}> {{ {faults} }} {faults} }}""")
    assert len(list(store.query("SELECT * WHERE { <https://kg.example.org/id/meeting/lonely> ?p ?o }"))) == 4
    store.close()
    return path


def test_a_store_with_faults_gives_pyshacls_findings_through_both_engines(faulty_store, shapes):
    """`validate_store` on an on-disk store: the native queries on the store itself, against pySHACL on a copy."""
    settings = load_settings(store=faulty_store)
    reference = validate_store(settings, shapes, engine="pyshacl")
    compiled = validate_store(settings, shapes)
    assert Counter(compiled.findings) == Counter(reference.findings)
    assert compiled.conforms is reference.conforms is False
    broken = {(f.focus.rsplit("/", 1)[-1], f.shape.rsplit("#", 1)[-1]) for f in compiled.findings
              if f.severity == "Violation"}
    assert ("lonely", "MeetingShape") in broken and ("odd", "EventDatesShape") in broken


def test_kg_validate_reports_the_faults_and_exits_1(faulty_store):
    done = CliRunner().invoke(cli, ["--store", faulty_store, "validate"])
    assert done.exit_code == 1, done.output
    assert "store: does not conform" in done.stdout and "/id/meeting/lonely" in done.stdout


@pytest.mark.parametrize("select,rewritten", [
    ("SELECT $this ?value WHERE { $this <p:a> ?value . FILTER NOT EXISTS { ?g <p:b> ?value } }", True),
    # the shared variable is bound only by a FILTER, not a triple pattern: NOT EXISTS stays
    ("SELECT $this ?value WHERE { $this <p:a> ?x . FILTER(?value = 1) FILTER NOT EXISTS { ?g <p:b> ?value } }", False),
    # nothing shared: NOT EXISTS is a test of the whole data, MINUS would remove nothing
    ("SELECT $this ?value WHERE { $this <p:a> ?value . FILTER NOT EXISTS { ?g <p:b> ?h } }", False),
    # not at the end of the group, or not plain triple patterns: left as written
    ("SELECT $this ?value WHERE { FILTER NOT EXISTS { ?g <p:b> ?value } $this <p:a> ?value . }", False),
    ("SELECT $this ?value WHERE { $this <p:a> ?value . FILTER NOT EXISTS { ?g <p:b> ?value FILTER(?g) } }", False),
])
def test_not_exists_becomes_minus_only_where_they_mean_the_same(select, rewritten):
    out = minus_for_not_exists(select, PREFIXES)
    assert ("MINUS" in out and "NOT EXISTS" not in out) is rewritten
    assert out == select or rewritten


XSD_NS = "http://www.w3.org/2001/XMLSchema#"
TERMS = [
    ox.NamedNode("https://kg.example.org/id/person/ana-lopez"),
    ox.NamedNode("https://schema.org/OnlineEventAttendanceMode"),
    ox.BlankNode("b1"), ox.Literal("plain"), ox.Literal(""), ox.Literal("two\nlines"),
    ox.Literal("chat", language="fr"), ox.Literal("12", datatype=ox.NamedNode(f"{XSD_NS}integer")),
    ox.Literal("soon", datatype=ox.NamedNode(f"{XSD_NS}date")),
    ox.Literal("2021-02-03", datatype=ox.NamedNode(f"{XSD_NS}date")),
    ox.Literal("https://x.example/", datatype=ox.NamedNode(f"{XSD_NS}anyURI")),
    ox.Literal("x", datatype=ox.NamedNode("https://kg.example.org/def/kg#odd")),
]


def test_each_value_test_written_as_sparql_answers_as_its_python_test(shapes):
    """A test run as SPARQL (xsd:string, node kinds, sh:in) answers as its Python test on every kind of term.

    (The Python tests are the ones tests/test_shacl_fast.py holds to pySHACL.)
    """
    compiled = compiled_shapes(shapes)
    written = [(i, cond) for i, cond in enumerate(compiled.sparql_tests) if cond is not None]
    assert {"isIRI", "datatype", " IN ("} <= {w for _, c in written for w in ("isIRI", "datatype", " IN (") if w in c}
    p = ox.NamedNode("https://kg.example.org/def/kg#p")
    for term in TERMS:
        store = ox.Store()
        store.add(ox.Quad(ox.NamedNode("https://kg.example.org/id/s"), p, term))
        for i, cond in written:
            asked = store.query(f"ASK {{ ?s {p} ?value FILTER({cond}) }}")
            assert bool(asked) is compiled.tests[i](term, {}), (term, cond)


def test_a_blank_node_subclass_of_a_target_class_is_left_to_pyshacl(shapes):
    """A target reached through a blank-node class cannot be named in a query: pySHACL validates, and finds it."""
    store = EmbeddedStore.open(":memory:")
    store.update("""PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX schema: <https://schema.org/>
        INSERT DATA { _:kind rdfs:subClassOf schema:Person . <https://kg.example.org/id/person/x> a _:kind . }""")
    assert compiled_shapes(shapes).validate_store(store.inner) is None
    result = validate_open_store(store, shapes)
    assert {(f.focus, f.constraint) for f in result.findings} == {
        ("https://kg.example.org/id/person/x", "MinCountConstraintComponent")}
