"""Issue 11, items 1-4: what an anonymous client can send to /sparql, each over real HTTP.

1. SERVICE hidden behind a character the old tokenizer swallowed; 2. input that made the guard
quadratic, or that ran before the time limit started; 3. nesting deep enough to overflow the
parser's stack; 4. a triple term asked for in a format that cannot carry it.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from conftest import _live_store, never_contacted, serving

from kg.sparql.guard import MAX_DEPTH

# --- item 1: SERVICE after a character the grammar has no token for ---------------------------


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ {{}} ?s ?p ?o~SERVICE <{url}> {{ }} }}",
        "SELECT * WHERE {{ ?s ?p ?o~SERVICE SILENT <{url}> {{ }} }}",
        "SELECT * WHERE {{ SERVICESILENT <{url}> {{ }} }}",
        "SELECT * WHERE {{ ?s ?p 1SERVICE <{url}> {{ }} }}",
        "SELECT * WHERE {{ FILTER(true)SERVICE <{url}> {{ }} }}",
    ],
)
def test_item1_service_after_an_odd_character_is_refused(live_server, listener, template: str) -> None:
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/x"
    response = requests.get(live_server.sparql, params={"query": template.format(url=url)}, timeout=10)
    assert response.status_code == 403, response.text
    assert "SERVICE" in response.json()["message"]
    assert never_contacted(listener)


def test_item1_service_in_an_update_where_is_refused(write_server, listener) -> None:
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/x"
    update = f"INSERT {{ GRAPH <http://example.org/g> {{ ?s ?p ?o }} }} WHERE {{ {{}} ?s ?p ?o~SERVICE <{url}> {{ }} }}"
    response = requests.post(f"{write_server.url}update", data={"update": update}, timeout=10,
                             headers={"Authorization": "Bearer test-write-token"})
    assert response.status_code == 403, response.text
    assert never_contacted(listener)


# --- item 2: linear guard, and the guard counts against the time limit ------------------------


def test_item2_escaped_quotes_are_refused_at_once(live_server) -> None:
    body = 'SELECT * WHERE { ?s ?p "' + '\\"' * 32_768  # 64 KB, the string never closed
    response = requests.post(live_server.sparql, data=body.encode(), timeout=10,
                             headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 400, response.text
    assert "line 1, column 24" in response.json()["message"]


def test_item2_large_bodies_do_not_hold_up_other_queries(live_server) -> None:
    """Eight 32 KB bodies of quotes and `ASK {}` at once: all answered, each within the client's timeout."""
    hostile = ('SELECT * WHERE { ?s ?p "' + '\\"' * 16_384).encode()  # 32 KB, the string never closed
    with ThreadPoolExecutor(max_workers=9) as pool:
        floods = [pool.submit(requests.post, live_server.sparql, data=hostile, timeout=10,
                              headers={"Content-Type": "application/sparql-query"}) for _ in range(8)]
        ask = pool.submit(requests.get, live_server.sparql, params={"query": "ASK {}"}, timeout=10,
                          headers={"Accept": "application/sparql-results+json"})
        assert ask.result().status_code == 200
        assert ask.result().json()["boolean"] is True
        assert {f.result().status_code for f in floods} == {400}


def test_item2_reading_and_guarding_count_against_the_time_limit() -> None:
    """A 5 MB `IN` list with query_timeout=0.5: the answer is the limit's 503, never a late one."""
    query = "SELECT * WHERE { ?s ?p ?o FILTER(?o IN (" + ",".join(['"abc"'] * 800_000) + ")) }"
    with serving(_live_store(), query_timeout=0.5) as server:
        response = requests.post(server.sparql, data=query.encode(), timeout=20,
                                 headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 503, response.text[:300]
    assert response.json()["error"] == "query-timeout"


# --- item 3: nesting depth refused before the parser ----------------------------------------


@pytest.mark.parametrize(
    ("opening", "closing"),
    [
        ("{", "}"),
        ("{ FILTER(", ") }"),
        ("{ FILTER(!", ") }"),
        ("{ ?s <http://x/p>/(", ") ?o }"),
        ("{ SELECT * WHERE {", "} }"),
        ("{ OPTIONAL {", "} }"),
    ],
)
def test_item3_deep_nesting_is_a_400_naming_the_limit(live_server, opening: str, closing: str) -> None:
    n = 5_000
    if opening.endswith("!"):
        query = "ASK { FILTER(" + "!" * n + "true) }"
    else:
        inner = "true" if "FILTER" in opening else ("<http://x/p>" if "/(" in opening else "")
        query = "ASK " + opening * n + inner + closing * n
    response = requests.post(live_server.sparql, data=query.encode(), timeout=10,
                             headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 400, response.text[:300]
    assert response.json()["error"] == "too-deep"
    assert str(MAX_DEPTH) in response.json()["message"]


def test_item3_nesting_within_the_limit_still_runs(live_server) -> None:
    n = MAX_DEPTH // 2 - 2
    query = "ASK " + "{" * n + "}" * n
    response = requests.get(live_server.sparql, params={"query": query}, timeout=10,
                            headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text[:300]


# --- item 4: a format that cannot carry the answer ------------------------------------------


TRIPLE_TERM = "CONSTRUCT { <http://x/a> <http://x/b> <<( <http://x/a> <http://x/b> <http://x/c> )>> } WHERE {}"
TRIPLE_FUNCTION = ("CONSTRUCT { <http://x/a> <http://x/b> ?t } WHERE "
                   "{ BIND(TRIPLE(<http://x/a>, <http://x/b>, <http://x/c>) AS ?t) }")


@pytest.mark.parametrize("query", [TRIPLE_TERM, TRIPLE_FUNCTION])
def test_item4_a_triple_term_as_json_ld_is_a_406(live_server, query: str) -> None:
    response = requests.get(live_server.sparql, params={"query": query}, timeout=10,
                            headers={"Accept": "application/ld+json"})
    assert response.status_code == 406, response.text[:300]
    assert "JSON-LD" in response.json()["message"]
    turtle = requests.get(live_server.sparql, params={"query": query}, timeout=10,
                          headers={"Accept": "application/ld+json, text/turtle;q=0.5"})
    assert turtle.status_code == 200
    assert turtle.headers["Content-Type"].startswith("text/turtle")
    assert "<<(" in turtle.text
