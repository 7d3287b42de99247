"""Named queries over HTTP give the same rows as `kg query --named`, in the asked format."""

from __future__ import annotations

import csv
import io

import pytest
import requests
from conftest import serving

from kg.named import named_queries, named_query


@pytest.fixture(scope="module")
def articles_server(own_articles):
    from kg.config import load_settings
    from kg.ingest import Ingestor
    from kg.store import EmbeddedStore

    store = EmbeddedStore.open(":memory:")
    outcomes = Ingestor(store, load_settings(store=":memory:")).ingest_paths(own_articles)
    assert all(o.ok for o in outcomes)
    with serving(store) as server:
        yield server


def test_index_lists_every_named_query(articles_server):
    listed = requests.get(articles_server.url + "queries", timeout=30).json()
    assert [q["name"] for q in listed] == list(named_queries())
    assert all(q["url"].endswith(f"/queries/{q['name']}") and q["title"] for q in listed)


@pytest.mark.parametrize("name", ["people", "positions", "meetings"])
def test_csv_by_extension_matches_the_library(articles_server, name):
    answer = requests.get(articles_server.url + f"queries/{name}.csv", timeout=30)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/csv")
    expected = articles_server.store.query(named_query(name).sparql)
    columns = [v.value for v in expected.variables]
    rows = list(csv.reader(io.StringIO(answer.text)))
    assert rows[0] == columns
    assert len(rows) - 1 == len(list(articles_server.store.query(named_query(name).sparql)))


def test_json_by_accept(articles_server):
    answer = requests.get(articles_server.url + "queries/ranks",
                          headers={"Accept": "application/sparql-results+json"}, timeout=30)
    body = answer.json()
    assert body["head"]["vars"] == ["person_name", "rank_label", "as_of", "article"]
    assert {b["rank_label"]["value"] for b in body["results"]["bindings"]} >= {
        "II rank state migration service counselor"}


def test_unknown_query_is_404(articles_server):
    answer = requests.get(articles_server.url + "queries/nope", timeout=30)
    assert answer.status_code == 404
    assert answer.json()["error"] == "not-found"
