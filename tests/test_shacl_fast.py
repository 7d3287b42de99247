"""The compiled validator (kg.validation.engine) finds what pySHACL finds, and refuses what it cannot compile."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from kg.errors import UnsupportedShapes
from kg.loaders import read_path
from kg.namespaces import bind_all
from kg.validation.engine import compile_shapes
from kg.validation.shacl import compiled_shapes, context_for, load_shapes, validate_graph

ROOT = Path(__file__).resolve().parents[1]
SHAPES = ROOT / "shapes"
FIXTURES = sorted((ROOT / "tests" / "shapes").glob("*.ttl"))
EXAMPLES = sorted((ROOT / "examples").glob("*.txt"))
KG = "https://kg.example.org/def/kg#"
SCHEMA = "https://schema.org/"
PROV = "http://www.w3.org/ns/prov#"
ORG = "http://www.w3.org/ns/org#"


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes(SHAPES)


@pytest.fixture(scope="module")
def compiled(shapes):
    return compile_shapes(shapes)


def assert_same(data: Graph, shapes: Graph, compiled, focus: list | None = None) -> list:
    """Both validators, same findings (severity, focus, shape, path, value, message, constraint), same verdict."""
    expected = validate_graph(data, shapes, focus_nodes=focus)
    got = compiled.validate_graph(data, focus_nodes=focus)
    assert got is not None, "the graph fell back to pySHACL"
    assert Counter(got.findings) == Counter(expected.findings)
    assert got.conforms == expected.conforms
    return expected.findings


def test_the_project_shapes_compile(shapes):
    assert compiled_shapes(shapes) is not None


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_fixture_findings_equal_pyshacl(path, shapes, compiled):
    data = Graph().parse(path, format="turtle")
    findings = assert_same(data, shapes, compiled)
    assert bool(findings) or path.name.split(".")[1].startswith("valid")  # the invalid fixtures do fail


def test_there_are_fixtures():
    assert len(FIXTURES) >= 20


# --- article graphs as ingest validates them ---------------------------------------------------


def article_context(ingestor, path: Path) -> list[tuple[Graph, Graph, list[URIRef]]]:
    """(article graph, context graph, focus nodes) per article in the file, as validate_article_graph makes them."""
    out = []
    for article in read_path(path):
        graph = ingestor.build(article).graph
        focus = [s for s in set(graph.subjects()) if isinstance(s, URIRef)]
        out.append((graph, context_for(graph, ingestor.ref, ingestor.store), focus))
    return out


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_articles_equal_pyshacl(path, memory_ingestor, compiled):
    for _, data, focus in article_context(memory_ingestor, path):
        assert_same(data, memory_ingestor.shapes, compiled, focus)


def test_real_articles_equal_pyshacl(memory_ingestor, corpus_articles, compiled):
    for path in corpus_articles:
        for _, data, focus in article_context(memory_ingestor, path):
            assert_same(data, memory_ingestor.shapes, compiled, focus)


def test_without_focus_nodes_the_whole_context_is_validated(memory_ingestor, compiled):
    _, data, _ = article_context(memory_ingestor, EXAMPLES[0])[0]
    assert_same(data, memory_ingestor.shapes, compiled, None)
    assert_same(data, memory_ingestor.shapes, compiled, [])  # pySHACL ignores an empty list


# --- mutations of real graphs ----------------------------------------------------------------


def first(data: Graph, p: str, cls: str | None = None) -> tuple:
    for s, o in data.subject_objects(URIRef(p)):
        if cls is None or (s, RDF.type, URIRef(cls)) in data:
            return s, URIRef(p), o
    pytest.skip(f"no {p} in this article")


def mutations(data: Graph) -> dict[str, Graph]:
    """Hand-made breakages, each on a copy of the context graph."""
    def copy() -> Graph:
        g = bind_all(Graph())
        g += data
        return g

    made = {}
    for name, p in (("no-derived-from", PROV + "wasDerivedFrom"), ("no-name", SCHEMA + "name"),
                    ("no-person", KG + "person"), ("no-event", KG + "event"), ("no-title", KG + "title")):
        g = copy()
        for t in list(g.triples((None, URIRef(p), None)))[:1]:
            g.remove(t)
        made[name] = g
    g = copy()
    for s, p, _ in list(g.triples((None, URIRef(SCHEMA + "datePublished"), None))):
        g.add((s, p, Literal("2001-01-01", datatype=XSD.date)))
        g.add((s, URIRef(SCHEMA + "headline"), Literal("Another headline")))
    made["duplicate-max-1"] = g
    g = copy()
    for s, p, o in list(g.triples((None, URIRef(KG + "attestedOn"), None))):
        g.remove((s, p, o))
        g.add((s, p, Literal(str(o))))  # a plain string, not an xsd:date
    for s, p, o in list(g.triples((None, URIRef(SCHEMA + "datePublished"), None))):
        g.remove((s, p, o))
        g.add((s, p, Literal("2024-13-45", datatype=XSD.date)))  # ill-typed
    made["wrong-datatype"] = g
    g = copy()
    for s, p, o in list(g.triples((None, URIRef(KG + "person"), None))):
        g.remove((s, p, o))
        g.add((s, p, URIRef("https://kg.example.org/id/org/not-a-person")))
        g.add((URIRef("https://kg.example.org/id/org/not-a-person"), RDF.type, URIRef(ORG + "Organization")))
    for s, p, o in list(g.triples((None, URIRef(KG + "event"), None))):
        g.remove((s, p, o))
        g.add((s, p, Literal("an event")))  # a literal is of no class
    made["wrong-class"] = g
    g = copy()
    for s, p, o in list(g.triples((None, URIRef(PROV + "generatedAtTime"), None))):
        g.remove((s, p, o))
        g.add((s, p, Literal("2024-01-01T10:00:00+00:00", datatype=XSD.dateTime)))  # pyoxigraph stores it as ...Z
    for s in list(g.subjects(RDF.type, URIRef(SCHEMA + "Person")))[:1]:
        g.add((s, URIRef(SCHEMA + "name"), Literal("Name 2 with digits")))
        g.add((s, URIRef(SCHEMA + "alternateName"), Literal("by language", lang="en")))
        g.add((URIRef(str(s) + "/Bad_IRI"), RDF.type, URIRef(SCHEMA + "Person")))
    made["patterns-and-canonical-literals"] = g
    g = copy()
    interval = BNode()
    for s in list(g.subjects(RDF.type, URIRef(KG + "PostHolding")))[:1]:
        g.add((s, URIRef(ORG + "memberDuring"), interval))
    g.add((interval, RDF.type, URIRef("http://www.w3.org/2006/time#Interval")))
    for day in ("2020-01-01", "2021-01-01"):
        begin = BNode()
        g.add((interval, URIRef("http://www.w3.org/2006/time#hasBeginning"), begin))
        g.add((begin, URIRef("http://www.w3.org/2006/time#inXSDDate"), Literal(day, datatype=XSD.date)))
    made["blank-interval"] = g
    g = copy()  # sh:or on values (pySHACL skips its members for non-focus values) and sh:xone on posts
    for s in list(g.subjects(RDF.type, URIRef(SCHEMA + "Event")))[:2]:
        g.add((s, URIRef(SCHEMA + "startDate"), Literal("sometime")))
        g.add((s, URIRef(SCHEMA + "endDate"), Literal("1999-01-01", datatype=XSD.date)))
    for s in list(g.subjects(RDF.type, URIRef(ORG + "Post")))[:1]:
        g.add((s, URIRef(KG + "jurisdiction"), URIRef("https://kg.example.org/id/country/x")))
        g.add((s, URIRef(ORG + "postIn"), URIRef("https://kg.example.org/id/org/y")))
    made["or-and-xone"] = g
    return made


@pytest.mark.parametrize("path", [EXAMPLES[0], EXAMPLES[2], EXAMPLES[4]], ids=lambda p: p.name)
def test_mutations_equal_pyshacl(path, memory_ingestor, compiled):
    _, data, focus = article_context(memory_ingestor, path)[0]
    for name, broken in mutations(data).items():
        for f in (focus, None):
            try:
                assert_same(broken, memory_ingestor.shapes, compiled, f)
            except AssertionError as exc:
                raise AssertionError(f"mutation {name}, focus {'given' if f else 'none'}: {exc}") from exc


def test_every_single_triple_dropped_equal_pyshacl(memory_ingestor, compiled):
    graph, data, focus = article_context(memory_ingestor, EXAMPLES[1])[0]
    triples = sorted(graph)[::3]  # a third of them, spread over every kind of node
    for t in triples:
        broken = bind_all(Graph())
        broken += data
        broken.remove(t)
        assert_same(broken, memory_ingestor.shapes, compiled, focus)


def test_literals_that_would_merge_fall_back(compiled):
    g = Graph()
    s = URIRef("https://kg.example.org/id/session/x")
    g.add((s, URIRef(KG + "ordinal"), Literal("01", datatype=XSD.integer, normalize=False)))
    g.add((s, URIRef(KG + "ordinal"), Literal("1", datatype=XSD.integer)))
    assert compiled.validate_graph(g) is None


def test_terms_pyoxigraph_refuses_fall_back(compiled):
    g = Graph()
    g.add((URIRef("https://kg.example.org/id/person/a b"), RDF.type, URIRef(SCHEMA + "Person")))
    assert compiled.validate_graph(g) is None


def test_the_ingest_gate_uses_the_compiled_shapes(memory_ingestor, monkeypatch):
    import kg.validation.shacl

    def refuse(*args, **kwargs):
        raise AssertionError("pySHACL was called")

    monkeypatch.setattr(kg.validation.shacl, "validate_graph", refuse)
    outcome = memory_ingestor.ingest_article(read_path(EXAMPLES[0])[0])
    assert outcome.validation is not None and outcome.status in ("stored", "rejected")


def test_the_report_graph_holds_the_findings(memory_ingestor, compiled):
    _, data, focus = article_context(memory_ingestor, EXAMPLES[0])[0]
    broken = mutations(data)["wrong-class"]
    result = compiled.validate_graph(broken, focus_nodes=focus)
    from rdflib.namespace import SH

    assert len(list(result.report.subjects(RDF.type, SH.ValidationResult))) == len(result.findings) > 0


# --- what the compiler refuses ---------------------------------------------------------------

PREFIXES = """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
"""
UNSUPPORTED = {
    "targetNode": "ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:nodeKind sh:IRI ; sh:message 'm' .",
    "targetSubjectsOf": "ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:p ; sh:nodeKind sh:IRI ; sh:message 'm' .",
    "node": "ex:S sh:targetClass ex:C ; sh:node ex:T ; sh:message 'm' . ex:T sh:nodeKind sh:IRI .",
    "closed": "ex:S sh:targetClass ex:C ; sh:closed true .",
    "minLength": "ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minLength 2 ; sh:message 'm' ] .",
    "alternative path": "ex:S sh:targetClass ex:C ; sh:property [ sh:path [ sh:alternativePath ( ex:p ex:q ) ] ;"
                        " sh:minCount 1 ; sh:message 'm' ] .",
    "inverse path": "ex:S sh:targetClass ex:C ; sh:property [ sh:path [ sh:inversePath ex:p ] ; sh:minCount 1 ;"
                    " sh:message 'm' ] .",
    "no message": "ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .",
    "two messages": "ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:message 'a', 'b' ] .",
    "custom severity": "ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:message 'm' ;"
                       " sh:severity ex:Bad ] .",
    "implicit class target": "ex:S a sh:NodeShape, owl:Class ; sh:nodeKind sh:IRI ; sh:message 'm' .",
    "deactivated": "ex:S sh:targetClass ex:C ; sh:deactivated true ; sh:nodeKind sh:IRI ; sh:message 'm' .",
    "sparql OPTIONAL": "ex:S sh:targetClass ex:C ; sh:sparql [ sh:message 'm' ; sh:select "
                       "'SELECT $this ?value WHERE { $this ex:p ?x OPTIONAL { ?x ex:q ?value } }' ] .",
    "sparql aggregate": "ex:S sh:targetClass ex:C ; sh:sparql [ sh:message 'm' ; sh:select "
                        "'SELECT $this (COUNT(?x) AS ?value) WHERE { $this ex:p ?x } GROUP BY $this' ] .",
    "sparql severity": "ex:S sh:targetClass ex:C ; sh:sparql [ sh:message 'm' ; sh:severity sh:Warning ; sh:select "
                       "'SELECT $this WHERE { $this ex:p ?x }' ] .",
    "sparql $PATH": "ex:S sh:targetClass ex:C ; sh:sparql [ sh:message 'm' ; sh:select "
                    "'SELECT $this WHERE { $this $PATH ?x }' ] .",
    "sparql unbound this": "ex:S sh:targetClass ex:C ; sh:sparql [ sh:message 'm' ; sh:select "
                           "'SELECT $this WHERE { ?x ex:p ?y FILTER NOT EXISTS { $this ex:q ?y } }' ] .",
    "literal in sh:in": "ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:in ( 'a' 'b' ) ;"
                        " sh:message 'm' ] .",
    "nested or": "ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:message 'm' ; "
                 "sh:or ( [ sh:or ( [ sh:datatype xsd:string ] ) ] ) ] .",
    "shared property shape": "ex:S sh:targetClass ex:C ; sh:property ex:P . ex:T sh:targetClass ex:D ;"
                             " sh:property ex:P . ex:P sh:path ex:p ; sh:minCount 1 ; sh:message 'm' .",
    "a constraint on no shape": "ex:Loose sh:minLength 3 .",
}


@pytest.mark.parametrize("turtle", UNSUPPORTED.values(), ids=UNSUPPORTED.keys())
def test_an_unsupported_construct_is_refused_at_compile_time(turtle):
    with pytest.raises(UnsupportedShapes):
        compile_shapes(Graph().parse(data=PREFIXES + turtle, format="turtle"))


def test_the_gate_falls_back_to_pyshacl_for_shapes_that_do_not_compile():
    shapes = Graph().parse(data=PREFIXES + UNSUPPORTED["minLength"], format="turtle")
    assert compiled_shapes(shapes) is None


def test_supported_constructs_on_small_shapes_equal_pyshacl():
    shapes = Graph().parse(data=PREFIXES + """
        ex:S sh:targetClass ex:C ; sh:nodeKind sh:IRI ; sh:pattern "^http://example.org/ok" ; sh:flags "i" ;
            sh:message "node" ;
            sh:property [ sh:path ex:n ; sh:minCount 2 ; sh:maxCount 3 ; sh:minInclusive 1 ; sh:message "n" ] ,
                        [ sh:path ( ex:p ex:q ) ; sh:class ex:D ; sh:message "pq" ] ,
                        [ sh:path ex:k ; sh:nodeKind sh:BlankNodeOrLiteral ; sh:in ( ex:a ex:b ) ; sh:message "k" ] ,
                        [ sh:path ex:o ; sh:or ( [ sh:class ex:D ] [ sh:path ex:q ; sh:minCount 1 ; sh:maxCount 1 ;
                                                   sh:datatype xsd:integer ] ) ; sh:message "o" ] .
        ex:D2 <http://www.w3.org/2000/01/rdf-schema#subClassOf> ex:D .
    """, format="turtle")
    data = Graph().parse(data="""
        @prefix ex: <http://example.org/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        ex:Sub rdfs:subClassOf ex:C . ex:D2 rdfs:subClassOf ex:D .
        ex:OK1 a ex:Sub ; ex:n 1, 2 ; ex:p [ ex:q ex:d ] ; ex:k ex:a, "lit" ; ex:o ex:d, ex:x, ex:y .
        ex:d a ex:D2 . ex:x ex:q 5 . ex:y ex:q "5", 6 .
        <http://other.org/bad> a ex:C ; ex:n 0, "x", 1.5, 2, 3 ; ex:p [ ex:q ex:e ], [ ex:q "lit" ] ; ex:k _:b .
        _:b a ex:C .
    """, format="turtle")
    compiled = compile_shapes(shapes)
    for focus in (None, [URIRef("http://example.org/OK1")]):
        findings = assert_same(data, shapes, compiled, focus)
    assert findings
