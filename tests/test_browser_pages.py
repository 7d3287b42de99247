"""The analyst's pages driven in a real headless Chromium (Debian's `chromium`, by playwright).

The server holds the demo articles in `examples/` ingested as `kg ingest` does; every expected
number is asked of the same store with SPARQL, not written here. Skips, saying so, where no
Chromium can be had.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from conftest import serving
from crowd import crowd_store
from playwright.sync_api import Browser, Page, sync_playwright

from kg.config import load_settings
from kg.ingest import Ingestor
from kg.store import EmbeddedStore

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
P = "PREFIX schema: <https://schema.org/> PREFIX kg: <https://kg.example.org/def/kg#> "


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("no chromium binary on PATH (apt-get install chromium) to run the browser tests")


@pytest.fixture(scope="module")
def demo_server():
    """The app over an in-memory store holding the demo articles, as `python3 dev.py demo` serves them."""
    store = EmbeddedStore.open(":memory:")
    ingestor = Ingestor(store, load_settings(store=":memory:"))
    ingestor.ensure_reference()
    outcomes = ingestor.ingest_paths(sorted(EXAMPLES.glob("*.txt")))
    assert all(o.ok for o in outcomes), [o for o in outcomes if not o.ok]
    with serving(store) as server:
        yield server


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = chromium()
    with sync_playwright() as pw:  # playwright gives each launch a fresh profile directory
        launched = pw.chromium.launch(executable_path=executable, args=FLAGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    try:
        yield tab
    finally:
        context.close()


def values(store, query: str) -> list[dict]:
    result = store.query(P + query)
    names = [v.value for v in result.variables]
    return [{n: (row[n].value if row[n] is not None else None) for n in names} for row in result]


def type_query(page: Page, url: str, text: str) -> None:
    page.goto(f"{url}query")
    page.fill("textarea#query", text)
    page.click("form#query-form button[type=submit]")
    page.wait_for_load_state()


def test_typed_query_runs_and_shows_a_table(demo_server, page):
    query = P + "SELECT ?person ?name WHERE { ?person a schema:Person ; schema:name ?name } ORDER BY ?name"
    type_query(page, demo_server.url, query)
    expected = values(demo_server.store,
                      "SELECT ?name WHERE { ?person a schema:Person ; schema:name ?name } ORDER BY ?name")
    assert page.inner_text("#row-count") == str(len(expected))
    names = page.locator("table.results-table tbody tr td:nth-child(3)").all_inner_texts()
    assert names == [r["name"] for r in expected]
    assert "query=" in page.url  # the query is in the address: a bookmark runs it again
    again = requests.get(page.url, headers={"Accept": BROWSER_ACCEPT}, timeout=10)
    assert f'<span id="row-count">{len(expected)}</span>' in again.text
    downloads = {a.inner_text(): a.get_attribute("href") for a in page.locator(".downloads a").all()}
    csv = requests.get(downloads["CSV"], timeout=10)
    assert csv.headers["Content-Type"].startswith("text/csv")
    assert len(csv.text.strip().splitlines()) == len(expected) + 1


def test_result_link_leads_to_a_person_profile(demo_server, page):
    type_query(page, demo_server.url, P + "SELECT ?person WHERE { ?person a schema:Person ; kg:rank|^kg:person ?x } "
                                          "GROUP BY ?person ORDER BY DESC(COUNT(?x)) LIMIT 1")
    link = page.locator("table.results-table tbody a").first
    shown = link.inner_text()
    link.click()
    page.wait_for_load_state()
    assert page.inner_text("h1") == shown  # linked by the person's name, not the IRI
    assert page.text_content("article .kicker") == "Person"
    person = page.inner_text("p.iri code")
    facts = values(demo_server.store, f"""SELECT DISTINCT ?f WHERE {{
        {{ ?f kg:person <{person}> }} UNION {{ ?f <http://www.w3.org/ns/org#member> <{person}> }}
        UNION {{ ?f kg:participant <{person}> }} UNION {{ ?f kg:delegationMember <{person}> }} }}""")
    assert page.locator("li.fact").count() == len(facts)
    assert page.locator("li.fact blockquote.evidence").count() == len(facts)  # every fact with its sentence
    assert page.locator("li.fact .from a").count() == len(facts)  # and its source article


def test_bad_query_shows_the_message_with_line_and_column_and_keeps_the_query(demo_server, page):
    bad = "SELECT ?s WHERE {\n  ?s ?p\n}"
    type_query(page, demo_server.url, bad)
    message = page.inner_text("#query-error")
    assert re.search(r"line 3, column \d+", message), message
    assert page.input_value("textarea#query") == bad
    caret = page.evaluate("document.getElementById('query').selectionStart")
    assert caret >= len("SELECT ?s WHERE {\n  ?s ?p\n")  # the caret is put where the parser stopped


def test_named_query_starts_the_editor_and_runs(demo_server, page):
    page.goto(demo_server.url)
    page.click("dl.queries a[href$='query?name=positions']")
    page.wait_for_load_state()
    rows = values(demo_server.store, "SELECT ?h WHERE { ?h a kg:PostHolding ; kg:post/kg:title ?t ; "
                                     "<http://www.w3.org/ns/prov#wasDerivedFrom> ?a }")
    assert page.inner_text("#row-count") == str(len(rows))
    assert "kg:PostHolding" in page.input_value("textarea#query")
    assert page.locator("#query-highlight .tok-kw").count() > 0  # the editor highlights SPARQL


def dated_facts(store, person: str) -> int:
    rows = values(store, f"""SELECT DISTINCT ?f ?d WHERE {{
        {{ ?f kg:person <{person}> }} UNION {{ ?f <http://www.w3.org/ns/org#member> <{person}> }}
        UNION {{ ?f kg:participant <{person}> }} UNION {{ ?f kg:delegationMember <{person}> }}
        OPTIONAL {{ ?f kg:attestedOn|schema:startDate|kg:event/schema:startDate ?own }}
        OPTIONAL {{ ?f <http://www.w3.org/ns/prov#wasDerivedFrom>/schema:datePublished ?pub }}
        BIND (COALESCE(?own, ?pub) AS ?d) }}""")
    return len({r["f"] for r in rows if r["d"] and re.match(r"\d{4}-\d\d-\d\d", r["d"])})


def test_timeline_draws_one_mark_per_dated_fact(demo_server, page):
    people = values(demo_server.store, "SELECT ?p WHERE { ?p a schema:Person }")
    person = max((r["p"] for r in people), key=lambda p: dated_facts(demo_server.store, p))
    expected = dated_facts(demo_server.store, person)
    assert expected >= 2
    page.goto(demo_server.url + urlsplit(person).path.lstrip("/"))
    marks = page.locator("figure.timeline svg circle.mark").count()
    counted = sum(int(n) for n in page.locator("figure.timeline svg text.more").evaluate_all(
        "nodes => nodes.map(n => n.dataset.count)"))
    assert marks + counted == expected  # one mark per dated fact; on a crowded spot, three and a count
    assert page.locator("figure.timeline svg .tick-label").count() >= 1
    page.locator("figure.timeline svg circle.mark").first.click()  # a mark leads to the fact's page
    page.wait_for_load_state()
    assert "/doc/article/" in page.url


def pairs_of(rows: list[dict]) -> set[tuple[str, str]]:
    """The pairs of people who met, from (meeting, participant) rows."""
    pairs = set()
    for meeting in {r["m"] for r in rows}:
        inside = sorted(r["p"] for r in rows if r["m"] == meeting)
        pairs |= {(a, b) for i, a in enumerate(inside) for b in inside[i + 1:]}
    return pairs


def test_network_draws_people_and_who_met_whom(demo_server, page):
    rows = values(demo_server.store, "SELECT ?m ?p WHERE { ?m a kg:Meeting ; kg:participant ?p }")
    page.goto(f"{demo_server.url}network")
    assert page.locator("figure.network circle.node").count() == len({r["p"] for r in rows})
    assert page.locator("figure.network line.edge").count() == len(pairs_of(rows))
    since = values(demo_server.store, """SELECT ?m ?p WHERE { ?m a kg:Meeting ; kg:participant ?p
        { ?m schema:startDate ?d } UNION { ?m <http://www.w3.org/ns/prov#wasDerivedFrom>/schema:datePublished ?d }
        FILTER (STR(?d) >= '2024-01-01') }""")
    page.fill("input[name=from]", "2024-01-01")
    page.click("form.filters button")
    page.wait_for_load_state()
    assert page.locator("figure.network circle.node").count() == len({r["p"] for r in since})
    assert page.locator("figure.network line.edge").count() == len(pairs_of(since)) < len(pairs_of(rows))


def test_search_by_acronym_suggests_as_one_types(demo_server, page):
    org = values(demo_server.store, "SELECT ?o ?a ?n WHERE { ?art schema:mentions ?o . "
                                    "?o kg:acronym ?a ; schema:name ?n } ORDER BY ?a LIMIT 1")[0]
    page.goto(f"{demo_server.url}browse/people")
    page.locator("#site-search").press_sequentially(org["a"], delay=40)
    first = page.locator("#site-search-list li").first
    first.wait_for()
    assert org["n"] in first.inner_text()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/doc/org/"))
    assert page.inner_text("h1") == org["n"]
    page.goto(f"{demo_server.url}search?q={org['a']}")
    assert org["n"] in page.locator("ol.hits li").first.inner_text()


def test_browse_people_filters_by_organization_and_sorts(demo_server, page):
    page.goto(f"{demo_server.url}browse/people")
    total = values(demo_server.store, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a schema:Person }")[0]["n"]
    assert page.locator("#browse-table tbody tr").count() == int(total)
    facet = page.locator("section.facet[data-facet=organization] li a").first
    expected = int(page.locator("section.facet[data-facet=organization] li .n").first.inner_text())
    facet.click()
    page.wait_for_load_state()
    assert page.locator("#browse-table tbody tr").count() == expected == int(page.inner_text("#item-count"))
    page.click("#browse-table thead th:first-child a")  # name, descending
    names = page.locator("#browse-table tbody td:first-child").all_inner_texts()
    assert names == sorted(names, key=str.lower, reverse=True)


def test_validation_page_groups_findings_by_shape_with_links(demo_server, page):
    page.goto(f"{demo_server.url}validation", timeout=120_000)  # the first view runs pySHACL over the store
    assert "conform" in page.inner_text("#verdict")
    for link in page.locator("section.shape-group tbody a").all()[:3]:
        assert requests.get(link.get_attribute("href"), headers={"Accept": BROWSER_ACCEPT}, timeout=10).ok


def test_phone_width_has_no_sideways_scroll(demo_server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 800})
    tab = context.new_page()
    try:
        for path in ("", "query", "browse/people", "network", "search?q=migration"):
            tab.goto(demo_server.url + path)
            overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, (path, overflow)
    finally:
        context.close()


# --- every link leads to a page (plain HTTP, as a browser asks) --------------------------------

def test_every_link_in_the_pages_leads_to_a_page(demo_server):
    """Crawl the site from / like a browser: every same-site link answers 200, HTML unless marked download."""
    start, seen, queue, checked = demo_server.url, set(), [demo_server.url], 0
    while queue and checked < 400:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = requests.get(url, headers={"Accept": BROWSER_ACCEPT}, timeout=20)
        checked += 1
        assert response.status_code == 200, (url, response.status_code, response.text[:200])
        assert response.headers["Content-Type"].startswith(("text/html", "image/svg+xml", "text/css")), url
        if not response.headers["Content-Type"].startswith("text/html"):
            continue
        for tag in re.finditer(r"<a\s[^>]*>", response.text):
            href = re.search(r'href="([^"]+)"', tag.group())
            if not href or " download" in tag.group() or ' type="' in tag.group():  # declared data links
                continue
            target = urljoin(url, href.group(1).replace("&amp;", "&")).split("#")[0]
            if target.startswith(start) and target not in seen and "/validation" not in target:
                queue.append(target)
    assert checked > 30


def test_browsers_get_pages_and_programs_still_get_data(demo_server):
    queries = demo_server.url + "queries"
    as_browser = requests.get(queries, headers={"Accept": BROWSER_ACCEPT}, allow_redirects=False, timeout=10)
    assert as_browser.status_code == 303 and as_browser.headers["Location"].endswith("/query")
    as_program = requests.get(queries, headers={"Accept": "*/*"}, timeout=10)
    assert as_program.headers["Content-Type"] == "application/json"
    person = values(demo_server.store, "SELECT ?p WHERE { ?p a schema:Person } LIMIT 1")[0]["p"]
    doc = demo_server.url + "doc/" + person.split("/id/", 1)[1]
    assert requests.get(doc, headers={"Accept": BROWSER_ACCEPT}, timeout=10).headers["Content-Type"].startswith(
        "text/html")
    turtle = requests.get(doc, headers={"Accept": "text/turtle"}, timeout=10)
    assert turtle.headers["Content-Type"].startswith("text/turtle") and person in turtle.text
    assert requests.get(demo_server.url + "favicon.ico", timeout=10).headers["Content-Type"].startswith("image/svg")


# --- the network at a thousand meetings ----------------------------------------------------------

@pytest.fixture(scope="module")
def crowded_server():
    with serving(crowd_store()) as server:
        yield server


def drawn_people(page: Page) -> list[str]:
    return [urlsplit(h).path for h in page.locator("figure.network a:has(circle.node)").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))")]


def label_overlaps(page: Page) -> list[float]:
    """The area two drawn labels share, for every pair that shares any (the browser's own text boxes)."""
    boxes = page.locator("figure.network text.node-label").evaluate_all(
        "nodes => nodes.map(n => { const b = n.getBBox(); return [b.x, b.y, b.x + b.width, b.y + b.height]; })")
    shared = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            w, h = min(a[2], b[2]) - max(a[0], b[0]), min(a[3], b[3]) - max(a[1], b[1])
            if w > 0 and h > 0:
                shared.append(w * h)
    return shared


def test_network_of_a_thousand_meetings_is_capped_grouped_and_labelled_apart(crowded_server, page):
    rows = values(crowded_server.store, "SELECT ?m ?p WHERE { ?m a kg:Meeting ; kg:participant ?p }")
    pairs = pairs_of(rows)
    degree: dict[str, int] = {}
    for x, y in pairs:
        degree[x], degree[y] = degree.get(x, 0) + 1, degree.get(y, 0) + 1
    page.goto(f"{crowded_server.url}network")
    drawn = drawn_people(page)
    assert len(drawn) == 150 < len(degree)  # capped, and the page says so
    assert page.inner_text("p.cap") == (f"Showing the 150 most connected of {len(degree)} people; narrow the period "
                                        "or choose an organization to see the others.")
    shown = {p for p in degree if urlsplit(p).path in set(drawn)}
    assert len(shown) == 150
    assert min(degree[p] for p in shown) >= max(degree[p] for p in degree if p not in shown)  # the most connected
    assert page.locator("figure.network line.edge").count() == len({pr for pr in pairs if set(pr) <= shown})
    labels = page.locator("figure.network text.node-label").count()
    assert 20 <= labels <= 40  # the busiest are named, the rest in tooltips
    assert max(label_overlaps(page), default=0.0) <= 4.0  # labels do not overlap (4 px² for font rounding)

    in_2021 = values(crowded_server.store, """SELECT ?m ?p WHERE { ?m a kg:Meeting ; kg:participant ?p ;
        schema:startDate ?d FILTER (STR(?d) >= '2021-01-01' && STR(?d) <= '2021-03-31') }""")
    page.fill("input[name=from]", "2021-01-01")
    page.fill("input[name=to]", "2021-03-31")
    page.click("form.filters button")
    page.wait_for_load_state()
    people = {r["p"] for r in in_2021}
    assert len(drawn_people(page)) == len(people) < 150  # a narrow period shows everyone, no cap
    assert page.locator("p.cap").count() == 0
    assert page.locator("figure.network line.edge").count() == len(pairs_of(in_2021))
    assert max(label_overlaps(page), default=0.0) <= 4.0


def test_a_meeting_page_says_who_met_when_with_links_and_its_source(demo_server, page):
    meeting = values(demo_server.store, """SELECT ?m WHERE { ?m a kg:Meeting ; kg:participant ?p }
        GROUP BY ?m ORDER BY DESC(COUNT(?p)) ?m LIMIT 1""")[0]["m"]
    people = values(demo_server.store, f"""SELECT ?p (MIN(?n) AS ?name) WHERE {{ <{meeting}> kg:participant ?p .
        ?p schema:name ?n }} GROUP BY ?p""")
    page.goto(demo_server.url + urlsplit(meeting).path.lstrip("/"))
    assert page.text_content("article .kicker") == "Meeting"
    title = page.inner_text("h1")
    names = values(demo_server.store, f"SELECT ?p ?n WHERE {{ <{meeting}> kg:participant ?p . ?p schema:name ?n }}")
    assert title.startswith("Meeting of ") and all(  # each person by one of their names
        any(n["n"] in title for n in names if n["p"] == r["p"]) for r in people), title
    assert re.search(r", (\d{4}-\d\d-\d\d|\d\d-\d\d, year not given)$", title), title  # and when
    who = page.locator("dl.summary dt", has_text="Who").locator("xpath=following-sibling::dd[1]").locator("a")
    assert sorted(who.all_inner_texts()) == sorted(r["name"] for r in people)
    assert page.locator("blockquote.evidence").count() >= 1  # the sentence it was read from
    who.first.click()  # each part leads to its own page
    page.wait_for_load_state()
    assert page.text_content("article .kicker") == "Person"


def test_errors_are_pages_for_browsers_and_the_json_shape_for_programs(demo_server, page):
    missing = demo_server.url + "doc/person/nobody-of-that-name"
    as_program = requests.get(missing, headers={"Accept": "*/*"}, timeout=10)
    assert as_program.status_code == 404 and as_program.headers["Content-Type"].startswith("application/json")
    message = as_program.json()["message"]
    answer = page.goto(missing)
    assert answer.status == 404 and answer.headers["content-type"].startswith("text/html")
    assert page.locator("header.top nav a").count() >= 5  # the site's own layout, its links to go on
    assert page.inner_text("#error-message") == message  # the same words as the JSON body
    assert page.input_value("#error-search") == "nobody of that name"  # and a search for what was asked
    page.click("form.search-again button")
    page.wait_for_load_state()
    assert "/search?q=nobody" in page.url

    bad = demo_server.url + "network?from=yesterday"
    answer = page.goto(bad)
    assert answer.status == 400 and "from" in page.inner_text("#error-message")
    as_program = requests.get(bad, timeout=10)  # no Accept: a program
    assert as_program.status_code == 400 and "from" in as_program.json()["message"]


def test_network_of_a_thousand_meetings_filters_by_organization(crowded_server, page):
    body = "https://kg.example.org/id/org/crowd-body-3"
    rows = values(crowded_server.store, f"""SELECT ?m ?p WHERE {{ ?m a kg:Meeting ; kg:participant ?p .
        FILTER EXISTS {{ ?m kg:participant ?q . ?h <http://www.w3.org/ns/org#member> ?q ;
                         <http://www.w3.org/ns/org#organization> <{body}> }} }}""")
    page.goto(f"{crowded_server.url}network")
    page.select_option("select[name=org]", body)
    page.click("form.filters button")
    page.wait_for_load_state()
    people = {r["p"] for r in rows}
    assert len(drawn_people(page)) == min(150, len(people))
    assert page.locator("p.cap").count() == (1 if len(people) > 150 else 0)
    assert f"{len({r['m'] for r in rows})} meetings between {len(people)} people" in page.inner_text("p.hint")
