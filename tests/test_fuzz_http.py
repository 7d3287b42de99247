"""Property-based checks of the guard and a bounded fuzzing pass over the HTTP surface (issue 11).

1. Differential: hypothesis builds queries and updates from a small SPARQL grammar, with and
   without SERVICE / LOAD in every position the grammar allows (after triples, in nested groups,
   OPTIONAL, UNION, MINUS, GRAPH, EXISTS, sub-selects, another SERVICE, update WHERE clauses, LOAD
   operations), with look-alikes (variables, prefixed names, strings, IRIs, comments and language
   tags holding the word) and tight separators. The guard's verdict must equal what rdflib's
   parser puts in the algebra (`ServiceGraphPattern`, `Load`).
2. Loopback: the same texts, and junk separators no parser agrees on (`~`, digits, `·`), sent to
   a live server whose SERVICE / LOAD target is a listener on a free loopback port: whatever the
   answer, the listener receives nothing.
3. Fuzzing: random query strings, bodies, content types, Accept values, headers, graph IRIs and
   article bodies against a live server with writes enabled: never a 500, always an answer within
   the time limit, and the store unchanged by every request that was refused.

Everything stays on 127.0.0.1 and is bounded by hypothesis's example counts; `KG_FUZZ_SCALE=20`
multiplies them for a longer pass (the figures in the README's reliability section).
"""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Iterator

import pytest
import requests
from conftest import WRITE_TOKEN, loopback_listener, serving
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pyparsing import ParseException, ParserElement
from rdflib.plugins.sparql.algebra import translateQuery, translateUpdate
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from kg.config import load_settings
from kg.ingest import Ingestor
from kg.sparql.guard import inspect
from kg.store import EmbeddedStore

SCALE = int(os.environ.get("KG_FUZZ_SCALE", "1"))
TIMEOUT = 2.0  # the fuzzed server's query_timeout
AUTH = {"Authorization": f"Bearer {WRITE_TOKEN}"}
FUZZ = settings(deadline=None, derandomize=SCALE == 1, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                       HealthCheck.filter_too_much, HealthCheck.data_too_large])
URL = "http://127.0.0.1:{port}/x"


def fuzz(examples: int) -> settings:
    """The shared settings with `examples` (times KG_FUZZ_SCALE) examples."""
    return settings(FUZZ, max_examples=examples * SCALE)


# --- a small SPARQL grammar -----------------------------------------------------------------

def cased(word: str) -> st.SearchStrategy[str]:
    return st.sampled_from([word.upper(), word.lower(), word.capitalize(), word[0].lower() + word[1:].upper()])


SEP = st.sampled_from([" ", "\n", "\t ", "\n\n"])
# rdflib's parser takes seconds on comments in some places, so they are added for the loopback test only
COMMENT = " # SERVICE <{url}> { } LOAD ?x\n"
TIGHT = st.sampled_from(["", " ", "\n"])  # where the grammar lets tokens touch: after } . ) and before {
TRIPLES = st.sampled_from([
    "?s ?p ?o",
    "?service <http://example.org/load> ?load",
    "?s svc:service svc:load",
    '?s ?p "SERVICE <{url}> { }"',
    "?s ?p '''LOAD <{url}>'''",
    '?s ?p "x"@en-service',
    "<http://example.org/SERVICE> ?p ?o",
    "?s ?p svc:SERVICE",
    "?s <http://example.org/p>/<http://example.org/q> ?o",
])


@st.composite
def group(draw, depth: int, with_network: bool) -> str:
    """A GroupGraphPattern; SERVICE only where `with_network` allows."""
    parts = []
    for _ in range(draw(st.integers(0, 2))):
        parts.append(draw(element(depth, with_network)))
    return "{" + draw(TIGHT) + draw(TIGHT).join(parts) + draw(TIGHT) + "}"


@st.composite
def element(draw, depth: int, with_network: bool) -> str:
    kinds = ["triples", "filter", "bind"]
    if depth > 0:
        kinds += ["group", "optional", "union", "minus", "graph", "exists", "subselect"]
        if with_network:
            kinds += ["service"] * 3
    kind = draw(st.sampled_from(kinds))
    sep, tight = draw(SEP), draw(TIGHT)
    inner = group(depth - 1, with_network) if depth > 0 else None
    if kind == "triples":
        return draw(TRIPLES) + draw(st.sampled_from([" .", "."])) + tight
    if kind == "filter":
        return f"FILTER(?o != 'service'){tight}"
    if kind == "bind":
        return f"BIND(1 AS ?x{draw(st.integers(0, 9))}){tight}"
    if kind == "group":
        return draw(inner) + tight
    if kind == "optional":
        return draw(cased("OPTIONAL")) + tight + draw(inner)
    if kind == "union":
        return draw(inner) + sep + "UNION" + tight + draw(inner)
    if kind == "minus":
        return "MINUS" + tight + draw(inner)
    if kind == "graph":
        return "GRAPH" + sep + "<http://example.org/g>" + tight + draw(inner)
    if kind == "exists":
        return "FILTER" + sep + draw(st.sampled_from(["EXISTS", "NOT EXISTS"])) + tight + draw(inner)
    if kind == "subselect":
        return "{" + tight + "SELECT * WHERE" + tight + draw(inner) + tight + "}"
    silent = draw(st.sampled_from(["", sep + draw(cased("SILENT"))]))
    # no SERVICE inside a SERVICE: rdflib's parser takes a minute or overflows on those
    return draw(cased("SERVICE")) + silent + sep + "<{url}>" + tight + draw(group(depth - 1, False))


@st.composite
def query(draw, with_network: bool) -> str:
    prologue = "PREFIX svc: <http://example.org/svc#>" + draw(SEP)
    form = draw(st.sampled_from(["SELECT *", "ASK", "SELECT ?service", "CONSTRUCT { ?s ?p ?o }"]))
    where = draw(st.sampled_from([" WHERE", ""])) if not form.startswith("CONSTRUCT") else " WHERE"
    return prologue + form + where + draw(SEP) + draw(group(2, with_network))


@st.composite
def update(draw, with_network: bool) -> str:
    prologue = "PREFIX svc: <http://example.org/svc#>" + draw(SEP)
    ops = []
    for _ in range(draw(st.integers(1, 3))):
        kinds = ["modify", "delete-where", "insert-data"] + (["load"] if with_network else [])
        kind = draw(st.sampled_from(kinds))
        if kind == "modify":
            ops.append("INSERT { GRAPH <http://example.org/g> { ?s ?p ?o } } WHERE " + draw(group(1, with_network)))
        elif kind == "delete-where":
            ops.append("DELETE WHERE { GRAPH <http://example.org/g> { ?s ?p ?o } }")
        elif kind == "insert-data":
            ops.append('INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/s> svc:load "SERVICE" } }')
        else:
            silent = draw(st.sampled_from(["", " SILENT"]))
            into = draw(st.sampled_from(["", " INTO GRAPH <http://example.org/g>"]))
            ops.append(draw(cased("LOAD")) + silent + " <{url}>" + into)
    return prologue + " ;\n".join(ops)


def algebra_names(node: object, found: set[str]) -> set[str]:
    if isinstance(node, CompValue):
        found.add(node.name)
    if isinstance(node, dict):
        for value in node.values():
            algebra_names(value, found)
    elif isinstance(node, list | tuple):
        for value in node:
            algebra_names(value, found)
    return found


def rdflib_says_network(text: str, *, is_update: bool) -> bool:
    """Whether rdflib's parser puts SERVICE or LOAD in the algebra of `text`.

    rdflib's pyparsing grammar recurses deeply (a few nested groups pass Python's default limit)
    and is slow without packrat memoization, so both are raised for the call.
    """
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 20_000))
    ParserElement.enable_packrat()
    try:
        if is_update:
            tree = translateUpdate(parseUpdate(text)).algebra
        else:
            tree = translateQuery(parseQuery(text)).algebra
    finally:
        ParserElement.disable_memoization()
        sys.setrecursionlimit(limit)
    return bool(algebra_names(tree, set()) & {"ServiceGraphPattern", "Load"})


def rdflib_verdict(text: str, *, is_update: bool) -> bool:
    """rdflib's verdict; a text its parser cannot read (comments in some places) is skipped."""
    try:
        return rdflib_says_network(text, is_update=is_update)
    except (ParseException, RecursionError):
        UNREAD.append(text)
        assume(False)
        raise AssertionError("unreachable") from None


UNREAD: list[str] = []


def guard_says_network(text: str) -> bool:
    return bool(inspect(text).network)


def _fill(template: str, port: int = 9) -> str:
    return template.replace("{url}", URL.format(port=port))


# --- 1. differential, against rdflib's algebra -----------------------------------------------


@fuzz(80)
@given(st.booleans().flatmap(lambda network: query(network)))
def test_the_guard_agrees_with_rdflib_on_queries(template: str) -> None:
    text = _fill(template)
    assert guard_says_network(text) == rdflib_verdict(text, is_update=False), text


@fuzz(50)
@given(st.booleans().flatmap(lambda network: update(network)))
def test_the_guard_agrees_with_rdflib_on_updates(template: str) -> None:
    text = _fill(template)
    assert guard_says_network(text) == rdflib_verdict(text, is_update=True), text


VERDICTS: set[bool] = set()


@fuzz(20)
@given(query(True))
def test_the_generator_makes_both_verdicts(template: str) -> None:
    """The differential tests could not fail if every generated text had the same verdict."""
    VERDICTS.add(rdflib_verdict(_fill(template), is_update=False))


def test_both_verdicts_were_seen() -> None:
    assert VERDICTS == {True, False}


# --- 2. loopback: nothing reaches the listener --------------------------------------------------


@pytest.fixture(scope="module")
def listener() -> Iterator[socket.socket]:
    with loopback_listener(backlog=64) as sock:
        yield sock


@pytest.fixture(scope="module")
def fuzz_server() -> Iterator:
    """A live server over a store with the reference data, writes enabled, a short time limit."""
    store = EmbeddedStore.open(":memory:")
    Ingestor(store, load_settings(store=":memory:")).ensure_reference()
    with serving(store, write_token=WRITE_TOKEN, query_timeout=TIMEOUT) as server:
        yield server


JUNK = st.sampled_from(["~", "1", "\u00b7", "`", "\\", "%", "@", "_", "-", "?o", "$", "^", ".", "\u00e9"])


@st.composite
def hostile_text(draw) -> tuple[str, bool]:
    is_update = draw(st.booleans())
    text = draw(update(True) if is_update else query(True))
    if draw(st.booleans()):  # glue junk in front of a keyword: no parser agrees on these
        keyword = draw(st.sampled_from(["SERVICE", "service", "LOAD", "load"]))
        text = text.replace(keyword, draw(JUNK) + keyword, 1)
    if draw(st.booleans()):
        text = text.replace(" ", COMMENT, draw(st.integers(1, 3)))
    return text, is_update


@fuzz(80)
@given(hostile_text())
def test_nothing_generated_reaches_the_listener(fuzz_server, listener, case: tuple[str, bool]) -> None:
    template, is_update = case
    text = _fill(template, listener.getsockname()[1])
    if is_update:
        response = requests.post(f"{fuzz_server.url}update", data={"update": text}, headers=AUTH, timeout=10)
    else:
        response = requests.post(fuzz_server.sparql, data={"query": text}, timeout=10)
    assert response.status_code < 500, (text, response.text[:300])
    try:
        connection, _ = listener.accept()
    except BlockingIOError:
        return
    connection.close()
    pytest.fail(f"the server reached the loopback listener for: {text}")


# --- 3. fuzzing the HTTP surface ----------------------------------------------------------------


def _ask(server) -> None:
    """The server still answers, and quickly: no earlier request left it stuck."""
    response = requests.get(server.sparql, params={"query": "ASK {}"}, timeout=TIMEOUT + 5)
    assert response.status_code == 200


def _checked(server, method: str, path: str, *, write: bool = False, **kwargs) -> requests.Response:
    """Send one request: no 500, an answer within the limit, and a refused write changes nothing.

    /ingest's 422 is not a refusal but a partial write by design (the articles that conform are
    stored, and the reference graphs restored if a write through /data had replaced them).
    """
    before = server.store.generation
    response = requests.request(method, f"{server.url}{path}", timeout=TIMEOUT + 5, **kwargs)
    assert response.status_code < 500, (method, path, kwargs, response.status_code, response.text[:300])
    partial = path == "ingest" and response.status_code == 422
    if write and response.status_code >= 300 and not partial:
        assert server.store.generation == before, (method, path, kwargs, response.status_code)
    return response


SPARQLISH = st.lists(st.sampled_from(list("{}()[]<>?$\"'#.;,:!^*+-/|=@_ \n\\~")
                                     + ["SELECT", "ASK", "WHERE", "FILTER", "GRAPH", "SERVICE",
                                        "INSERT", "DATA", "LOAD", "a", "?s", "<http://x/>", "1"]),
                     max_size=60).map("".join)
ANY_TEXT = st.text(max_size=200)
MEDIA = st.sampled_from(["application/sparql-query", "application/sparql-update", "application/x-www-form-urlencoded",
                         "text/turtle", "application/rdf+xml", "application/ld+json", "application/n-triples",
                         "text/plain", "text/html", "application/x-ndjson", "multipart/form-data", "", "*/*",
                         "application/json"])
PARAMS = st.sampled_from(["", "; charset=utf-8", "; charset=UTF-16", "; charset=bogus", ";;", "; q=0"])
ACCEPT = st.one_of(st.sampled_from(["*/*", "text/turtle", "application/ld+json;q=0", "application/*",
                                    "text/csv, application/sparql-results+json;q=0.5", "image/png", "",
                                    "application/sparql-results+xml;q=2", "*/*;q=abc"]),
                   st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=40).map(str.strip))
HEADER_VALUE = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=60).map(str.strip)
IRI_ISH = st.one_of(st.text(max_size=40), st.sampled_from(["http://example.org/g", "urn:x", "", "http://[::1",
                                                             "https://kg.example.org/graph/reference",
                                                             "https://kg.example.org/graph/ontology"]))


@fuzz(120)
@given(text=st.one_of(SPARQLISH, ANY_TEXT), accept=ACCEPT, how=st.sampled_from(["get", "form", "direct"]),
       extra=st.sampled_from([{}, {"default-graph-uri": "http://absent/"}, {"named-graph-uri": "not an iri"},
                              {"format": "json"}, {"format": "bogus"}, {"update": "CLEAR ALL"}]))
def test_fuzz_queries(fuzz_server, text: str, accept: str, how: str, extra: dict) -> None:
    headers = {"Accept": accept}
    if how == "get":
        _checked(fuzz_server, "GET", "sparql", params={"query": text, **extra}, headers=headers)
    elif how == "form":
        _checked(fuzz_server, "POST", "sparql", data={"query": text, **extra}, headers=headers)
    else:
        _checked(fuzz_server, "POST", "sparql", params=extra, data=text.encode("utf-8", "surrogatepass"),
                 headers={**headers, "Content-Type": "application/sparql-query"})


@fuzz(100)
@given(body=st.one_of(st.binary(max_size=300), SPARQLISH.map(str.encode)), media=MEDIA, params=PARAMS,
       path=st.sampled_from(["sparql", "update", "data", "ingest"]), graph=IRI_ISH,
       method=st.sampled_from(["POST", "PUT", "DELETE", "GET"]), token=st.booleans(), header=HEADER_VALUE)
def test_fuzz_bodies_and_headers(fuzz_server, body: bytes, media: str, params: str, path: str, graph: str,
                                 method: str, token: bool, header: str) -> None:
    headers = {"Content-Type": media + params, "X-Fuzz": header, **(AUTH if token else {})}
    query = {"graph": graph} if path == "data" else {}
    _checked(fuzz_server, method, path, write=method != "GET", params=query, data=body, headers=headers)


TURTLE_ISH = st.lists(st.sampled_from(list("<>_:[]()\"'.;,@^ \n#")
                                      + ["<http://example.org/s>", "<http://example.org/p>", "_:b",
                                         "a", "<<(", ")>>", "\"x\"", "@prefix", "ex:", "42"]),
                      max_size=40).map("".join)
XML_ISH = st.sampled_from([
    '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '<!DOCTYPE x [<!ENTITY e "e">]>', "<rdf:Description>", "</rdf:Description>", "</rdf:RDF>", "&e;",
    '<rdf:Description rdf:about="http://example.org/s"><rdf:value>x</rdf:value></rdf:Description>',
]).map(str)


@fuzz(80)
@given(body=st.one_of(TURTLE_ISH.map(lambda t: ("text/turtle", t)),
                      st.lists(XML_ISH, max_size=5).map(lambda p: ("application/rdf+xml", "".join(p)))),
       graph=IRI_ISH, method=st.sampled_from(["PUT", "POST"]))
def test_fuzz_graph_store_writes(fuzz_server, body: tuple[str, str], graph: str, method: str) -> None:
    media, text = body
    _checked(fuzz_server, method, "data", write=True, params={"graph": graph}, data=text.encode("utf-8", "replace"),
             headers={**AUTH, "Content-Type": media})


ARTICLE = st.one_of(
    st.text(max_size=300),
    st.builds(lambda title, body: f"{title}\n\n{body}", st.text(max_size=60), st.text(max_size=200)),
    st.lists(st.one_of(st.dictionaries(st.sampled_from(["url", "title", "published", "body", "author"]),
                                       st.one_of(st.text(max_size=40), st.integers(), st.none()), max_size=5),
                       st.just({"body": [[[]]]})), max_size=3)
    .map(lambda records: "\n".join(__import__("json").dumps(r) for r in records)),
)


@fuzz(40)
@given(body=ARTICLE, media=st.sampled_from(["text/plain", "text/html", "application/x-ndjson"]))
def test_fuzz_article_bodies(fuzz_server, body: str, media: str) -> None:
    _checked(fuzz_server, "POST", "ingest", write=True, data=body.encode("utf-8", "replace"),
             headers={**AUTH, "Content-Type": media})


def test_the_server_answers_after_fuzzing(fuzz_server) -> None:
    _ask(fuzz_server)
