"""Issue 11, items 5-10: what a token holder can send, each over real HTTP; nothing stored is lost.

5. billion laughs in RDF/XML; 6. an update nested thousands deep; 7. blank nodes and triple terms
in bodies and INSERT DATA; 8. truncated RDF/XML; 9. DELETE DATA aimed at the default graph;
10. a JSON Lines record nested 100,000 deep, in /ingest and in `kg ingest`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from click.testing import CliRunner
from conftest import WRITE_TOKEN

from kg.cli import cli

AUTH = {"Authorization": f"Bearer {WRITE_TOKEN}"}
EX = "http://example.org/"
G = f"{EX}g/1"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def put(server, body: str | bytes, content_type: str, method: str = "PUT", graph: str = G) -> requests.Response:
    data = body.encode() if isinstance(body, str) else body
    return requests.request(method, f"{server.url}data", params={"graph": graph}, data=data, timeout=30,
                            headers={**AUTH, "Content-Type": content_type})


def update(server, text: str) -> requests.Response:
    return requests.post(f"{server.url}update", data={"update": text}, headers=AUTH, timeout=30)


def snapshot(server) -> set[ox.Quad]:
    """Every quad the store holds, the default graph included."""
    store = server.store
    quads = {ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in store.triples()}
    for graph in store.named_graphs():
        quads |= {ox.Quad(t.subject, t.predicate, t.object, graph) for t in store.triples(graph)}
    return quads


def seed(server) -> set[ox.Quad]:
    """Store one small graph G and return the store's content."""
    assert put(server, f'<{EX}s> <{EX}p> "kept" .', "text/turtle").status_code == 201
    return snapshot(server)


# --- item 5: entity expansion ------------------------------------------------------------------


LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE r [\n <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">\n'
    + "".join(f' <!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">\n' for i in range(9))
    + f']>\n<rdf:RDF xmlns:rdf="{RDF_NS}"><rdf:Description rdf:about="{EX}s">'
    f"<rdf:value>&j;</rdf:value></rdf:Description></rdf:RDF>"
)


@pytest.mark.parametrize("method", ["PUT", "POST"])
def test_item5_billion_laughs_is_a_400_and_changes_nothing(write_server, method: str) -> None:
    before = seed(write_server)
    response = put(write_server, LAUGHS, "application/rdf+xml", method)
    assert response.status_code == 400, response.text[:300]
    assert "DTD" in response.json()["message"] and "line 2" in response.json()["message"]
    assert snapshot(write_server) == before


# --- item 6: an update nested thousands deep --------------------------------------------------


@pytest.mark.parametrize("n", [3_000, 100_000])
def test_item6_a_deep_update_is_a_400_and_the_server_lives(write_server, n: int) -> None:
    before = seed(write_server)
    text = f"INSERT {{ GRAPH <{G}> {{ <{EX}a> <{EX}b> <{EX}c> }} }} WHERE " + "{" * n + "}" * n
    response = update(write_server, text)
    assert response.status_code == 400, response.text[:300]
    assert response.json()["error"] == "too-deep"
    assert snapshot(write_server) == before
    assert requests.get(f"{write_server.url}sparql", params={"query": "ASK {}"}, timeout=10).status_code == 200


# --- item 7: blank nodes stored skolemized; triple terms refused ------------------------------


def _skolems(server, graph: str) -> set[str]:
    triples = list(server.store.triples(ox.NamedNode(graph)))
    assert not any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in triples)
    return {term.value for t in triples for term in (t.subject, t.object)
            if isinstance(term, ox.NamedNode) and "/.well-known/genid/" in term.value}


@pytest.mark.parametrize(
    ("body", "content_type", "nodes"),
    [
        (f'<{EX}s> <{EX}p> _:b . _:b <{EX}q> "x" .', "text/turtle", 1),
        (f'<{EX}s> <{EX}p> [ <{EX}q> "x" ; <{EX}r> [ <{EX}q> "y" ] ] .', "text/turtle", 2),
        (f'<{EX}s> <{EX}list> ( "a" "b" "c" ) .', "text/turtle", 3),
        (f'<rdf:RDF xmlns:rdf="{RDF_NS}" xmlns:ex="{EX}"><rdf:Description><ex:q>x</ex:q>'
         "</rdf:Description></rdf:RDF>", "application/rdf+xml", 1),
    ],
)
def test_item7_blank_nodes_in_a_graph_body_are_stored_skolemized(write_server, body, content_type, nodes) -> None:
    assert put(write_server, body, content_type).status_code == 201
    skolems = _skolems(write_server, G)
    assert len(skolems) == nodes
    default = {term.value for t in write_server.store.triples() for term in (t.subject, t.object)}
    assert skolems <= default  # the same IRIs in the default graph: it stays the merge
    assert put(write_server, f'<{EX}s2> <{EX}p> _:b .', "text/turtle", "POST").status_code == 204
    assert len(_skolems(write_server, G)) == nodes + 1


def test_item7_blank_nodes_in_insert_data_are_one_node_across_graphs(write_server) -> None:
    text = (f'INSERT DATA {{ GRAPH <{EX}g/a> {{ <{EX}s> <{EX}p> _:b . _:b <{EX}q> "x" }} '
            f"GRAPH <{EX}g/b> {{ <{EX}t> <{EX}p> _:b }} }}")
    response = update(write_server, text)
    assert response.status_code == 204, response.text
    assert _skolems(write_server, f"{EX}g/a") == _skolems(write_server, f"{EX}g/b")
    assert len(_skolems(write_server, f"{EX}g/a")) == 1


@pytest.mark.parametrize("how", ["put", "update"])
def test_item7_a_triple_term_is_a_400(write_server, how: str) -> None:
    before = seed(write_server)
    term = f"<<( <{EX}a> <{EX}b> <{EX}c> )>>"
    if how == "put":
        response = put(write_server, f"<{EX}s> <{EX}p> {term} .", "text/turtle")
    else:
        response = update(write_server, f"INSERT DATA {{ GRAPH <{G}> {{ <{EX}s> <{EX}p> {term} }} }}")
    assert response.status_code == 400, response.text[:300]
    assert "triple term" in response.json()["message"]
    assert snapshot(write_server) == before


# --- item 8: truncated RDF/XML ----------------------------------------------------------------


@pytest.mark.parametrize("method", ["PUT", "POST"])
def test_item8_truncated_rdf_xml_is_a_400_with_line_and_column(write_server, method: str) -> None:
    before = seed(write_server)
    body = (f'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="{RDF_NS}">\n'
            f'  <rdf:Description rdf:about="{EX}s"><rdf:value>x</rdf:value></rdf:Description>\n')
    response = put(write_server, body, "application/rdf+xml", method)
    assert response.status_code == 400, response.text[:300]
    assert "line 4, column 1" in response.json()["message"]
    assert snapshot(write_server) == before


# --- item 9 (the default-graph part): DELETE DATA aimed at the default graph ------------------


@pytest.mark.parametrize(
    "text",
    [
        f"DELETE DATA {{ <{EX}s> <{EX}p> 'absent' }}",
        f"DELETE DATA {{ <{EX}s> <{EX}p> 'kept' }}",
        f"DELETE DATA {{ GRAPH <{G}> {{ <{EX}s> <{EX}p> 'x' }} <{EX}s> <{EX}p> 'kept' }}",
        f"INSERT DATA {{ <{EX}s> <{EX}p> 'new' }}",
        f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH <{G}> {{ ?s ?p ?o }} }}",
    ],
)
def test_item9_writes_aimed_at_the_default_graph_are_refused(write_server, text: str) -> None:
    before = seed(write_server)
    response = update(write_server, text)
    assert response.status_code == 403, response.text[:300]
    assert "default graph" in response.json()["message"]
    assert snapshot(write_server) == before


def test_item9_with_names_the_graph_a_template_writes(write_server) -> None:
    seed(write_server)
    response = update(write_server, f"WITH <{G}> DELETE {{ ?s ?p 'kept' }} WHERE {{ ?s ?p 'kept' }}")
    assert response.status_code == 204, response.text
    assert not write_server.store.has_graph(ox.NamedNode(G))


# --- item 10: JSON Lines nested 100,000 deep --------------------------------------------------


def _records() -> str:
    good = json.dumps({"url": "https://example.org/a/1", "body": (EXAMPLES / "01_ambassador_reception.txt")
                       .read_text(encoding="utf-8")})
    deep = '{"body": ' + "[" * 100_000 + "]" * 100_000 + "}"
    return f"{good}\n{deep}\n"


def test_item10_a_deep_record_is_one_items_error_in_ingest(write_server) -> None:
    response = requests.post(f"{write_server.url}ingest", data=_records().encode(), timeout=60,
                             headers={**AUTH, "Content-Type": "application/x-ndjson"})
    assert response.status_code == 422, response.text[:300]
    body = response.json()
    assert body["stored"] == 1 and body["rejected"] == 1
    assert [a["status"] for a in body["articles"]] == ["stored", "error"]
    assert ":2:" in body["articles"][1]["error"] and "nests too deeply" in body["articles"][1]["error"]


def test_item10_kg_ingest_goes_on_past_a_deep_record(tmp_path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "batch.jsonl").write_text(_records(), encoding="utf-8")
    (folder / "other.txt").write_text((EXAMPLES / "02_executive_committee.txt").read_text(encoding="utf-8"),
                                      encoding="utf-8")
    result = CliRunner().invoke(cli, ["--store", str(tmp_path / "store"), "ingest", str(folder)])
    assert result.exit_code == 2, result.output  # an unreadable item is an input error: the worse of the batch
    assert "Traceback" not in result.output
    assert "nests too deeply" in result.output
    assert result.output.count("stored") >= 2, result.output


# --- item 9: a violation split across graphs ---------------------------------------------------

KG_BASE = "https://kg.example.org/"
PREFIXES = """@prefix schema: <https://schema.org/> . @prefix org: <http://www.w3.org/ns/org#> .
@prefix kg: <https://kg.example.org/def/kg#> . @prefix time: <http://www.w3.org/2006/time#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix prov: <http://www.w3.org/ns/prov#> .
"""
SPARQL_PREFIXES = re.sub(r"@prefix (\S+) (\S+) \.", r"PREFIX \1 \2", PREFIXES)


def ids(text: str) -> str:
    """Write `id:person/x` as the full IRI (a Turtle local name cannot hold a slash)."""
    return re.sub(r"id:([\w/-]+)", rf"<{KG_BASE}id/\1>", text)


FIRST = PREFIXES + ids("""
id:person/alice-martin a schema:Person ; schema:name "Alice Martin" .
id:person/bob-dupont a schema:Person ; schema:name "Bob Dupont" .
id:post/chair a org:Post ; kg:title "Chair" ; org:postIn id:org/iom .
id:holding/1 a kg:PostHolding ; org:member id:person/alice-martin ; kg:post id:post/chair ;
    kg:attestedOn "2024-01-10"^^xsd:date ; org:memberDuring id:interval/1 ;
    prov:wasDerivedFrom id:article/1 ; kg:evidence "Alice Martin, the chair, said." .
id:article/1 a schema:NewsArticle, prov:Entity ; schema:headline "The council meets" ;
    schema:datePublished "2024-01-10"^^xsd:date .
<https://kg.example.org/graph/article/1> a kg:ArticleGraph ; prov:wasDerivedFrom id:article/1 ;
    prov:generatedAtTime "2024-01-10T12:00:00Z"^^xsd:dateTime ; prov:wasGeneratedBy id:extraction/1 .
id:extraction/1 a kg:Extraction ; kg:loaderVersion "1.0" ; prov:used id:article/1 ;
    prov:wasAssociatedWith id:agent/kg .
id:agent/kg a prov:SoftwareAgent ; schema:name "kg" .
id:interval/1 a time:Interval ; time:hasBeginning id:instant/1 .
id:instant/1 a time:Instant ; time:inXSDDate "2024-05-01"^^xsd:date .
""")
SECOND = {
    "name": "id:person/alice-martin schema:name 42 .",
    "member": "id:holding/1 org:member id:person/bob-dupont .",
    "interval": "id:interval/1 time:hasEnd id:instant/2 . id:instant/2 a time:Instant ; "
                'time:inXSDDate "2024-01-01"^^xsd:date .',
    "jurisdiction": "id:post/chair kg:jurisdiction id:country/turkiye .",
}
G_FIRST, G_SECOND = f"{EX}g/first", f"{EX}g/second"


@pytest.mark.parametrize("case", sorted(SECOND))
def test_item9_a_violation_split_across_graphs_is_a_422(write_server, case: str) -> None:
    assert put(write_server, FIRST, "text/turtle", graph=G_FIRST).status_code == 201
    before = snapshot(write_server)
    for method in ("PUT", "POST"):
        response = put(write_server, PREFIXES + ids(SECOND[case]), "text/turtle", method, graph=G_SECOND)
        assert response.status_code == 422, (method, response.text[:500])
        assert response.json()["detail"]["violations"], response.text[:500]
    response = update(write_server, f"{SPARQL_PREFIXES} INSERT DATA {{ GRAPH <{G_SECOND}> {{ {ids(SECOND[case])} }} }}")
    assert response.status_code == 422, response.text[:500]
    assert snapshot(write_server) == before


def test_item9_a_consistent_second_graph_is_stored(write_server) -> None:
    assert put(write_server, FIRST, "text/turtle", graph=G_FIRST).status_code == 201
    body = PREFIXES + ids('id:person/alice-martin schema:alternateName "Alice M." .')
    assert put(write_server, body, "text/turtle", graph=G_SECOND).status_code == 201


def test_item9_deleting_the_reference_graph_is_a_422(write_server) -> None:
    assert put(write_server, FIRST, "text/turtle", graph=G_FIRST).status_code == 201
    before = snapshot(write_server)
    response = requests.delete(f"{write_server.url}data", params={"graph": f"{KG_BASE}graph/reference"},
                               headers=AUTH, timeout=60)
    assert response.status_code == 422, response.text[:500]
    assert any(v["focus"] == f"{KG_BASE}id/post/chair" for v in response.json()["detail"]["violations"])
    assert snapshot(write_server) == before
