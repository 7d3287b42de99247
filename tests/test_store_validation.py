"""Whole-store validation (`kg validate` on a store) runs the compiled shapes and finds what pySHACL finds.

pySHACL is the reference: every shape fixture, loaded as a store holds it, and an on-disk store
of our own articles with faults put in give the same findings and verdict through both engines.
The NOT EXISTS constraints the compiler writes as MINUS (pyoxigraph's NOT EXISTS is quadratic
over a whole store) are covered by fixtures that break them.
"""

from __future__ import annotations

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
from kg.validation.checks import validate_store
from kg.validation.compile import minus_for_not_exists
from kg.validation.shacl import compiled_shapes, load_shapes, validate_graph

HERE = Path(__file__).resolve().parent
FIXTURES = sorted((HERE / "shapes").glob("*.ttl"))
OWN = sorted((HERE / "articles").glob("a*"))
PREFIXES = {"kg": "https://kg.example.org/def/kg#", "prov": "http://www.w3.org/ns/prov#"}


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes(load_settings().shapes_dir)


def store_triples(path: Path) -> list[ox.Triple]:
    """The fixture's triples as a store gives them back (distinct; literals in pyoxigraph's form)."""
    store = ox.Store()
    parsed = ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
    store.extend(ox.Quad(q.subject, q.predicate, q.object) for q in parsed)
    return [q.triple for q in store]


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_each_fixture_as_a_store_gives_pyshacls_findings(path, shapes):
    triples = store_triples(path)
    expected = validate_graph(rdflib_graph(triples, bind_all(Graph())), shapes)
    got = compiled_shapes(shapes).validate_store_triples(triples)
    assert Counter(got.findings) == Counter(expected.findings)
    assert got.conforms == expected.conforms
    assert got.findings or ".valid." in path.name  # the invalid fixtures do fail


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
