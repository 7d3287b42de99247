"""The index page, the ontology documents, and both seen by a real headless Chromium.

Ontology answers are parsed as RDF and compared with the Turtle files; the documentation page is
checked to have one entry per declared term, found by reading the ontology itself.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile

import pyoxigraph as ox
import pytest
import requests
from conftest import LD_ALICE, LD_BASE, LD_COUNCIL
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from kg import docs
from kg.config import load_settings
from kg.named import named_queries

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
OWL_CLASS = ox.NamedNode("http://www.w3.org/2002/07/owl#Class")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
KG = "https://kg.example.org/def/kg#"


def file_triples(paths) -> set[ox.Triple]:
    """The files' triples; blank nodes are compared apart, so keep only ground triples."""
    out = set()
    for path in paths:
        out |= {q.triple for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)}
    return {t for t in out if not isinstance(t.subject, ox.BlankNode) and not isinstance(t.object, ox.BlankNode)}


def ground(triples) -> set[ox.Triple]:
    return {t for t in triples if not isinstance(t.subject, ox.BlankNode) and not isinstance(t.object, ox.BlankNode)}


def test_index_lists_endpoints_queries_counts_and_a_form(linked_server):
    response = requests.get(linked_server.url, timeout=10)
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    page = HTMLParser(response.text)
    form = page.css_first("form.query")
    assert form.attributes["method"] == "get"  # the query page: the query stays in the address
    assert form.attributes["action"] == f"{linked_server.url}query"
    assert form.css_first("textarea").attributes["name"] == "query"
    titles = {a.text(): a.attributes["href"] for a in page.css("dl.queries dt a:not(.hint)")}
    assert set(titles) == {q.title for q in named_queries().values()}
    assert {href.rsplit("/", 1)[-1] for href in titles.values()} == {f"query?name={n}" for n in named_queries()}
    downloads = {a.attributes["href"].rsplit("/", 1)[-1] for a in page.css("dl.queries dt a.hint")}
    assert {f"{n}.csv" for n in named_queries()} <= downloads
    hrefs = {a.attributes["href"] for a in page.css("a")}
    for path in ("sparql", "def/kg", "shapes", ".well-known/void", "dump.nq", "dump.jsonld", "context.jsonld"):
        assert f"{linked_server.url}{path}" in hrefs
    stats = {s.css_first(".what").text(): s.css_first(".n").text() for s in page.css(".stat")}
    assert all(s.attributes.get("href", "").startswith(linked_server.url) for s in page.css(".stat"))  # cards link
    assert stats["people"] == "1"
    assert stats["named graphs"] == "2"


def test_the_form_query_runs(linked_server):
    page = HTMLParser(requests.get(linked_server.url, timeout=10).text)
    query = page.css_first("form.query textarea").text()
    answer = requests.get(f"{linked_server.url}query", params={"query": query}, timeout=10)
    assert answer.status_code == 200
    table = HTMLParser(answer.text).css("table.results-table tbody tr")
    assert [row.css("td")[2].text() for row in table] == ["Alice Martin"]
    data = requests.post(f"{linked_server.url}sparql", data={"query": query, "format": "json"}, timeout=10)
    assert [b["name"]["value"] for b in data.json()["results"]["bindings"]] == ["Alice Martin"]


def test_stylesheet_is_served(linked_server):
    response = requests.get(f"{linked_server.url}static/kg.css", timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/css")


@pytest.mark.parametrize("path", ["def/kg", "ontology"])
@pytest.mark.parametrize(
    ("accept", "fmt"), [(None, "text/turtle"), ("application/ld+json", None), ("application/rdf+xml", None)]
)
def test_ontology_as_rdf_is_the_turtle_modules(linked_server, path, accept, fmt):
    response = requests.get(linked_server.url + path, headers={"Accept": accept}, timeout=10)
    media_type = response.headers["Content-Type"].split(";")[0]
    assert media_type == (fmt or accept)
    got = {q.triple for q in ox.parse(response.content, format=ox.RdfFormat.from_media_type(media_type))}
    settings = load_settings()
    assert ground(got) == file_triples(docs.ontology_files(settings.ontology_dir))


def test_shapes_as_rdf(linked_server):
    response = requests.get(f"{linked_server.url}shapes", timeout=10)
    got = {q.triple for q in ox.parse(response.content, format=ox.RdfFormat.TURTLE)}
    assert ground(got) == file_triples(sorted(load_settings().shapes_dir.glob("*.ttl")))


def test_ontology_page_has_an_entry_per_class_at_its_hash(linked_server):
    response = requests.get(f"{linked_server.url}def/kg", headers={"Accept": BROWSER}, timeout=10)
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    page = HTMLParser(response.text)
    ids = {node.attributes["id"] for node in page.css("section.term")}
    classes = {
        t.subject.value
        for t in file_triples(docs.ontology_files(load_settings().ontology_dir))
        if t.predicate == RDF_TYPE and t.object == OWL_CLASS
    }
    kg_classes = {c.removeprefix(KG) for c in classes if c.startswith(KG)}
    assert kg_classes and kg_classes <= ids
    rank = page.css_first("section#Rank")
    assert rank is not None and "shapes" in rank.text()  # which shapes constrain it


def test_write_docs_writes_a_standalone_page(tmp_path):
    settings = load_settings()
    path = docs.write_docs(tmp_path / "ontology.html", settings.ontology_dir, settings.shapes_dir)
    page = HTMLParser(path.read_text(encoding="utf-8"))
    assert page.css_first("style") is not None  # stylesheet inline: the file stands alone
    assert page.css_first("section#Rank h3").text().startswith("rank")


# --- in a real browser --------------------------------------------------------------------------

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("no chromium binary on PATH (apt-get install chromium) to run the browser tests")


def dump_dom(url: str) -> HTMLParser:
    with tempfile.TemporaryDirectory() as profile:
        result = subprocess.run(
            [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom", url],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
    return HTMLParser(result.stdout)


def test_browser_dereferences_a_person_to_its_page(linked_server):
    page = dump_dom(linked_server.url + LD_ALICE.removeprefix(LD_BASE))
    assert page.css_first("h1").text() == "Alice Martin"
    links = {a.attributes["href"]: a.text() for a in page.css("main a")}
    assert links[linked_server.url + LD_COUNCIL.removeprefix(LD_BASE)] == "City Council"
    assert "Alice Martin elected chair of the City Council" in links.values()


def test_browser_shows_the_index(linked_server):
    page = dump_dom(linked_server.url)
    assert page.css_first("form.query textarea") is not None
    assert len(page.css("dl.queries dt")) == len(named_queries())
