"""The pieces behind the analyst's pages, without a browser: titles, errors, search, lists, timeline."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.config import load_settings
from kg.resource_description import compose_title, titles
from kg.store import EmbeddedStore
from kg.web import create_app
from kg.web.answers import failed
from kg.web.listing import Listing, choose, collect, facets
from kg.web.profiles import Fact
from kg.web.search import Names, rank
from kg.web.timeline import layout, parse_day

EX = "https://kg.example.org/"
TTL = f"""@prefix schema: <https://schema.org/> . @prefix kg: <https://kg.example.org/def/kg#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix prov: <http://www.w3.org/ns/prov#> .
<{EX}id/article/1/meeting/1> a kg:Meeting, schema:Event ; kg:participant <{EX}id/person/ann>, <{EX}id/person/bo> ;
    schema:startDate "2024-01-02"^^xsd:date .
<{EX}id/article/1/rank/1> a kg:RankAttestation ; kg:person <{EX}id/person/ann> ; kg:rank <{EX}id/rank/x/colonel> ;
    prov:wasDerivedFrom <{EX}id/article/1> .
<{EX}id/article/1> schema:datePublished "2024-01-03"^^xsd:date .
<{EX}id/person/ann> schema:name "Ann Example" . <{EX}id/person/bo> schema:name "Bo Sample" .
<{EX}id/rank/x/colonel> <http://www.w3.org/2004/02/skos/core#prefLabel> "colonel"@en, "polkovnik"@ru .
"""


def test_intermediate_nodes_are_titled_by_what_they_say():
    store = EmbeddedStore.open(":memory:")
    store.replace_graph(ox.NamedNode(f"{EX}graph/article/1"),
                        [q.triple for q in ox.parse(TTL.encode(), format=ox.RdfFormat.TURTLE)])
    found = titles(store, [ox.NamedNode(f"{EX}id/article/1/meeting/1"), ox.NamedNode(f"{EX}id/article/1/rank/1"),
                           ox.NamedNode(f"{EX}id/person/ann")])
    assert found == {
        f"{EX}id/article/1/meeting/1": "Meeting of Ann Example and Bo Sample, 2024-01-02",
        f"{EX}id/article/1/rank/1": "Ann Example: colonel (as of 2024-01-03)",  # the article's date, English label
    }


def test_a_day_without_year_says_so():
    assert compose_title({"type": "Meeting", "who": {"a": "A", "b": "B"}, "date": "--03-12"}) == \
        "Meeting of A and B, 03-12, year not given"


@pytest.mark.parametrize(("message", "line", "column"), [
    ("query does not parse: error at 3:9: expected one of ...", 3, 9),
    ("the dataset names <x>, which is not a graph of this store", None, None),
])
def test_errors_keep_the_parsers_line_and_column(message, line, column):
    answer = failed(message)
    assert (answer.error, answer.line, answer.column) == (message, line, column)


def test_search_ranks_an_exact_acronym_first_and_ignores_case_and_accents():
    names = Names([
        ("o1", "organization", "International Organization for Migration", "IOM"),
        ("o1", "organization", "International Organization for Migration", "International Organization for Migration"),
        ("s1", "series", "IOM Council", "IOM Council"),
        ("p1", "person", "Zoë Biomass", "Zoë Biomass"),
    ])
    assert [h.iri for h in rank(names, "iom", limit=10)] == ["o1", "s1", "p1"]
    assert [h.iri for h in rank(names, "zoe", limit=10)] == ["p1"]
    assert rank(names, "iom", limit=1)[0].matched == "IOM"


def test_lists_filter_by_facet_and_period_and_sort():
    keys = ("item", "name", "facet", "value", "value_label", "first")
    rows = [dict(zip(keys, row, strict=True)) for row in [
        ("a", "Ann", "organization", "o1", "One", "2023-05-01"),
        ("b", "Bo", "organization", "o1", "One", "2024-05-01"),
        ("b", "Bo", "article", "x1", None, None),
        ("b", "Bo", "article", "x2", None, None),
        ("c", "Cy", "organization", "o2", "Two", None),
    ]]
    spec = Listing("people", "People", "q", ("organization",), ("article",))
    items = collect(rows)
    assert [i.iri for i in choose(items, spec, {"organization": "o1"})] == ["a", "b"]
    assert [i.iri for i in choose(items, spec, {"from": "2024-01-01"})] == ["b"]
    assert [i.iri for i in choose(items, spec, {"sort": "-article"})] == ["b", "c", "a"]
    assert facets(items, spec)["organization"] == [("o1", "One", 2), ("o2", "Two", 1)]


def test_timeline_places_dated_facts_in_date_order_and_keeps_the_undated_apart():
    app = create_app(load_settings(store=":memory:"), store=EmbeddedStore.open(":memory:"))
    with app.test_request_context("/"):
        drawn = _drawn()
    assert [m.kind for m in sorted(drawn["marks"], key=lambda m: m.x)] == ["post", "meeting"]
    assert drawn["marks"][0].url == "http://localhost/f0"  # each mark links to its fact's page, served here
    assert [f.iri for f in drawn["undated"]] == [f"{EX}f2", f"{EX}f3"]
    assert drawn["ticks"]  # an axis with labels
    assert parse_day("2024-01-02T10:00:00Z").isoformat() == "2024-01-02"


def test_a_crowded_day_draws_three_marks_and_counts_the_rest():
    app = create_app(load_settings(store=":memory:"), store=EmbeddedStore.open(":memory:"))
    with app.test_request_context("/"):
        drawn = layout([Fact(f"{EX}m{i}", "meeting", "2024-05-01") for i in range(40)]
                       + [Fact(f"{EX}p", "post", "2023-01-01")])
    assert len(drawn["marks"]) == 3 + 1
    assert [m["n"] for m in drawn["more"]] == [37]


def _drawn() -> dict:
    facts = [Fact(f"{EX}f{i}", kind, day) for i, (kind, day) in
             enumerate([("post", "2020-01-01"), ("meeting", "2022-06-01"), ("rank", None), ("event", "--03-12")])]
    return layout(facts)


def test_network_groups_guests_around_their_busiest_host_and_labels_never_overlap():
    from kg.web.network_layout import WIDTH, groups, label_box
    from kg.web.network_layout import layout as network_layout

    hosts = ["host-a", "host-b"]
    guests = [f"guest-{i}" for i in range(30)]
    pairs = {(h, g): 1 for h in hosts for g in guests[:3]}  # three guests met both hosts
    pairs |= {("host-a", g): 2 for g in guests[3:20]} | {("host-b", g): 1 for g in guests[20:]}
    people = hosts + guests  # busiest first
    found = groups(people, pairs)
    assert [g[0] for g in found] == ["host-a", "host-b"]  # each group led by its host
    assert set(found[0]) == {"host-a", *guests[:20]} and set(found[1]) == {"host-b", *guests[20:]}
    assert groups(people, pairs) == found  # the same data, the same picture

    names = {p: f"{p.replace('-', ' ').title()} Longername" for p in people}
    placed, width, height = network_layout(people, pairs, names, labelled=len(people))
    assert width <= WIDTH and all(0 <= s.x <= width and 0 <= s.y <= height for s in placed.values())
    boxes = [label_box(*s.label, names[p]) for p, s in placed.items() if s.label]
    assert placed["host-a"].label and placed["host-b"].label and len(boxes) < len(people)  # the busiest first
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)


@pytest.fixture(scope="module")
def bare_app():
    from kg.web.services import close_services

    app = create_app(load_settings(store=":memory:"), store=EmbeddedStore.open(":memory:"))
    yield app
    close_services(app)


@pytest.mark.parametrize(("accept", "status", "html"), [
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", 404, True),  # a browser
    ("text/html", 400, True),
    ("text/html", 406, False),  # a 406 says there is no HTML; its body lists the formats there are
    ("*/*", 404, False), (None, 404, False), ("application/json", 404, False),
    ("text/html, application/json", 404, False),  # both alike: the JSON every endpoint answers
    ("application/json;q=0.5, text/html", 404, True),
])
def test_html_errors_go_to_clients_that_prefer_html(bare_app, accept, status, html):
    from kg.web.error_pages import wants_html

    with bare_app.test_request_context("/x", headers={"Accept": accept} if accept else {}):
        assert wants_html(status) is html
