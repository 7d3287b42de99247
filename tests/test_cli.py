"""The `kg` command over a real on-disk store: ingest, query, validate, export, exit codes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from xml.etree import ElementTree as ET  # noqa: S405 - parses our own output

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import cli


@pytest.fixture
def store_path(tmp_path):
    return str(tmp_path / "store")


OWN = Path(__file__).resolve().parent / "articles"
OWN_ARTICLES = [OWN / "a01_iom_mission_reception.txt", OWN / "a05_turkey_ambassador.txt"]


@pytest.fixture
def loaded(store_path):
    """A store holding two of our own articles (tests/articles)."""
    result = CliRunner().invoke(cli, ["--store", store_path, "ingest", *map(str, OWN_ARTICLES)])
    assert result.exit_code == 0, result.output
    return store_path


def kg(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_ingest_reports_each_article(store_path, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    for article in OWN_ARTICLES:
        (folder / article.name).write_bytes(article.read_bytes())
    result = kg("--store", store_path, "ingest", str(folder))
    assert result.exit_code == 0, result.output
    assert result.output.count("stored    ") == len(OWN_ARTICLES)
    assert f"{len(OWN_ARTICLES)} stored, 0 failed" in result.output


def test_ingest_goes_on_past_a_bad_file_and_exits_2(store_path, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n\n", encoding="utf-8")
    result = kg("--store", store_path, "ingest", str(empty), str(OWN_ARTICLES[0]))
    assert result.exit_code == 2  # an input that cannot be read is an input error; the batch went on
    assert "empty.txt" in result.output
    assert "1 stored, 1 failed" in result.output


def test_named_query_as_csv_has_contract_header(loaded):
    result = kg("--store", loaded, "query", "--named", "positions", "--format", "csv")
    assert result.exit_code == 0, result.output
    table = list(csv.reader(io.StringIO(result.output)))
    assert table[0] == ["person_name", "title", "organization_name", "as_of", "article"]
    assert ["Kamran Aliyev", "Chief", "State Migration Service"] in [r[:3] for r in table[1:]]


def test_select_defaults_to_sparql_json(loaded):
    q = "SELECT ?n WHERE { ?p a <https://schema.org/Person> ; <https://schema.org/name> ?n }"
    result = kg("--store", loaded, "query", q)
    assert result.exit_code == 0, result.output
    names = {b["n"]["value"] for b in json.loads(result.output)["results"]["bindings"]}
    assert {"Kamran Aliyev", "Laura Bianchi", "Cem Yildirim"} <= names


def test_construct_defaults_to_turtle(loaded):
    q = "CONSTRUCT { ?p a <https://schema.org/Person> } WHERE { ?p a <https://schema.org/Person> }"
    result = kg("--store", loaded, "query", q)
    assert result.exit_code == 0, result.output
    triples = list(ox.parse(result.output.encode(), format=ox.RdfFormat.TURTLE))
    assert len(triples) >= 2


def test_malformed_query_exits_2_with_parser_message(loaded):
    result = kg("--store", loaded, "query", "SELECT WHERE {")
    assert result.exit_code == 2
    assert "does not parse" in result.output


def test_validate_store_conforms(loaded):
    result = kg("--store", loaded, "validate")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("store: conforms")


BROKEN = """
@prefix kg: <https://kg.example.org/def/kg#> .
@prefix schema: <https://schema.org/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<http://example.org/a1> a schema:NewsArticle ; schema:datePublished "2024-01-01"^^xsd:date .
<http://example.org/g1> a kg:ArticleGraph ; prov:wasDerivedFrom <http://example.org/a1> .
<http://example.org/m1> a kg:Meeting ; kg:participant <https://kg.example.org/id/person/ana-lopez> ;
    prov:wasDerivedFrom <http://example.org/a1> ; kg:evidence "Ana Lopez met." .
<https://kg.example.org/id/person/ana-lopez> a schema:Person ; schema:name "Ana Lopez" .
"""


def test_validate_file_that_does_not_conform_exits_1(tmp_path):
    path = tmp_path / "broken.ttl"
    path.write_text(BROKEN, encoding="utf-8")
    result = kg("validate", str(path))
    assert result.exit_code == 1
    assert "shapes#MeetingShape" in result.output and "http://example.org/m1" in result.output


def test_validate_junit_and_json(tmp_path):
    path = tmp_path / "broken.ttl"
    path.write_text(BROKEN, encoding="utf-8")
    output = kg("validate", "--format", "junit", str(path)).output
    junit = ET.fromstring(output)  # noqa: S314 - our own output
    failed = [c.get("name") for c in junit.iter("testcase") if c.find("failure") is not None]
    assert failed == ["https://kg.example.org/def/shapes#ArticleGraphShape", "https://kg.example.org/def/shapes#MeetingShape"]
    report = json.loads(kg("validate", "--format", "json", str(path)).output)
    assert report["conforms"] is False
    assert {(r["shape"].rsplit("#")[-1], r["focus"]) for r in report["results"]} == {
        ("ArticleGraphShape", "http://example.org/g1"), ("MeetingShape", "http://example.org/m1")}


def test_validate_unparsable_file_exits_2_naming_it(tmp_path):
    path = tmp_path / "bad.ttl"
    path.write_text("<http://example.org/a> <http://example.org/b> .\n", encoding="utf-8")
    result = kg("validate", str(path))
    assert result.exit_code == 2
    assert f"{path}:1:" in result.output  # file, line and column


@pytest.mark.parametrize("fmt,rdf_format", [
    ("nq", ox.RdfFormat.N_QUADS), ("trig", ox.RdfFormat.TRIG), ("turtle", ox.RdfFormat.TURTLE),
    ("nt", ox.RdfFormat.N_TRIPLES), ("jsonld", ox.RdfFormat.JSON_LD), ("rdfxml", ox.RdfFormat.RDF_XML),
])
def test_export_parses_back(loaded, fmt, rdf_format):
    result = kg("--store", loaded, "export", "--format", fmt)
    assert result.exit_code == 0, result.output
    quads = list(ox.parse(result.stdout_bytes, format=rdf_format))
    people = [q for q in quads if q.object == ox.NamedNode("https://schema.org/Person")]
    assert people
    if rdf_format.supports_datasets:
        assert any(q.graph_name != ox.DefaultGraph() for q in quads)


def test_export_ontology_and_shapes():
    onto = list(ox.parse(kg("export", "--ontology").stdout_bytes, format=ox.RdfFormat.TURTLE))
    owl_class = ox.NamedNode("http://www.w3.org/2002/07/owl#Class")
    assert any(q.subject == ox.NamedNode("https://kg.example.org/def/kg#PostHolding") and q.object == owl_class
               for q in onto)
    shapes = list(ox.parse(kg("export", "--shapes", "--format", "nt").stdout_bytes, format=ox.RdfFormat.N_TRIPLES))
    node_shape = ox.NamedNode("http://www.w3.org/ns/shacl#NodeShape")
    assert ox.NamedNode("https://kg.example.org/def/shapes#MeetingShape") in {q.subject for q in shapes
                                                                              if q.object == node_shape}
    assert kg("export", "--ontology", "--format", "trig").exit_code == 2


def test_docs_writes_the_ontology_page(tmp_path):
    out = tmp_path / "site" / "ontology.html"
    result = kg("docs", "-o", str(out))
    assert result.exit_code == 0, result.output
    from selectolax.lexbor import LexborHTMLParser

    page = LexborHTMLParser(out.read_text(encoding="utf-8"))
    ids = {node.attributes.get("id") for node in page.css("[id]")}
    assert {"PostHolding", "Rank", "Meeting"} <= ids


def test_ingest_reads_standard_input(store_path):
    record = ('{"url": "https://press.example/a/1", "title": "Envoy received", "published": "2024-05-03", '
              '"body": "Lena Vos, the Minister of Interior of Arcadia, received Tomas Berg, the Ambassador of '
              'Sweden to Arcadia."}\n')
    result = CliRunner().invoke(cli, ["--store", store_path, "ingest", "-"], input=record)
    assert result.exit_code == 0, result.output
    assert "stored    <stdin>" in result.output
    urls = kg("--store", store_path, "query", "SELECT ?u WHERE { ?a <https://schema.org/url> ?u }", "--format", "csv")
    assert "https://press.example/a/1" in urls.output


def test_validate_writes_junit_beside_the_text_report(tmp_path):
    path = tmp_path / "broken.ttl"
    path.write_text(BROKEN, encoding="utf-8")
    junit_path = tmp_path / "reports" / "shacl.xml"
    result = kg("validate", "--junit", str(junit_path), str(path))
    assert result.exit_code == 1
    assert "does not conform" in result.output
    suite = ET.fromstring(junit_path.read_text(encoding="utf-8"))  # noqa: S314 - our own output
    cases = [c.get("name") for c in suite.iter("testcase")]
    assert "https://kg.example.org/def/shapes#PersonShape" in cases  # every node shape is a test case
    assert all(name.startswith("https://kg.example.org/def/shapes#") for name in cases)
    assert [c.get("name") for c in suite.iter("testcase") if c.find("failure") is not None] == [
        "https://kg.example.org/def/shapes#ArticleGraphShape", "https://kg.example.org/def/shapes#MeetingShape"]
