"""/network: who met whom, people as nodes and meetings as edges, drawn as SVG by the server.

Filtered by period (`from`, `to`, ISO dates; a meeting with no date is kept only when no period
is asked for) and by organization (`org`, an IRI: meetings with at least one participant who
held a post in it). At most the 150 most connected people are drawn, and the page says so;
they are placed in groups of those who met (kg.web.network_layout), so the same data gives the
same picture, and only the busiest are labelled, the rest named in tooltips.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox
from flask import Blueprint, render_template, request

from kg.errors import UsageError
from kg.resource_description import labels
from kg.web import get_store, page_queries
from kg.web.links import root, url_for_iri
from kg.web.network_layout import layout
from kg.web.page_cache import cached
from kg.web.timeline import parse_day

bp = Blueprint("network", __name__, template_folder="templates")
SHOWN, LABELLED = 150, 40  # people drawn at most (the most connected), and labelled at most


@dataclass
class Meeting:
    iri: str
    date: str | None = None
    people: dict[str, str] = field(default_factory=dict)  # IRI -> name
    orgs: set[str] = field(default_factory=set)


def meetings(store) -> list[Meeting]:
    """Every meeting with its people, date and the organizations those people held posts in."""
    found: dict[str, Meeting] = {}
    for row in page_queries.select(store, "network"):
        m = found.setdefault(row["meeting"], Meeting(row["meeting"]))
        m.date = min(filter(None, (m.date, row["date"])), default=None)
        m.people[row["person"]] = min(filter(None, (m.people.get(row["person"]), row["name"])), default=row["person"])
    orgs: dict[str, set[str]] = {}
    for row in page_queries.select(store, "network_orgs"):
        orgs.setdefault(row["person"], set()).add(row["org"])
    for m in found.values():
        m.orgs = set().union(*(orgs.get(p, set()) for p in m.people))
    return list(found.values())


def _day_arg(name: str):
    text = request.args.get(name, "").strip()
    if not text:
        return None
    day = parse_day(text)
    if day is None:
        raise UsageError(f"parameter {name}={text!r} is not a date (YYYY-MM-DD)")
    return day


def select(items: list[Meeting], first, last, org: str | None) -> list[Meeting]:
    """The meetings within [first, last] (either may be None) with a participant from `org`."""
    out = []
    for m in items:
        day = parse_day(m.date)
        if (first or last) and day is None:
            continue
        if (first and day < first) or (last and day > last) or (org and org not in m.orgs):
            continue
        out.append(m)
    return out


def drawing(items: list[Meeting]) -> dict:
    """The picture of `items`: the `SHOWN` most connected people, grouped, and a line per pair who met.

    A line's weight is how many meetings the pair had; only the `LABELLED` busiest people get a
    label, and only where it covers no other (kg.web.network_layout).
    """
    names: dict[str, str] = {}
    edges: dict[tuple[str, str], list[Meeting]] = {}
    for m in items:
        names.update(m.people)
        people = sorted(m.people)
        for i, a in enumerate(people):
            for b in people[i + 1 :]:
                edges.setdefault((a, b), []).append(m)
    degree = {p: 0 for p in names}
    meetings_of = {p: 0 for p in names}
    for (a, b), ms in edges.items():
        degree[a] += 1
        degree[b] += 1
        meetings_of[a] += len(ms)
        meetings_of[b] += len(ms)
    order = sorted(names, key=lambda p: (-degree[p], -meetings_of[p], names[p], p))
    shown = order[:SHOWN]
    kept = set(shown)
    pairs = {pair: len(ms) for pair, ms in edges.items() if pair[0] in kept and pair[1] in kept}
    at, width, height = layout(shown, pairs, names, LABELLED)
    nodes = [{"x": at[p].x, "y": at[p].y, "url": url_for_iri(p), "name": names[p], "degree": degree[p],
              "r": 3 + min(degree[p], 12) / 2, "label": at[p].label} for p in shown]
    lines = [{"x1": at[a].x, "y1": at[a].y, "x2": at[b].x, "y2": at[b].y, "weight": len(edges[(a, b)]),
              "across": at[a].group != at[b].group,
              "tip": f"{names[a]} and {names[b]}: " + ", ".join(m.date or "undated" for m in edges[(a, b)])}
             for a, b in sorted(pairs)]
    return {"nodes": nodes, "edges": lines, "width": width, "height": height, "people": len(names),
            "pairs": len(edges), "capped": len(order) > SHOWN, "shown": SHOWN}


def organizations(items: list[Meeting], labels: dict[str, str]) -> list[tuple[str, str]]:
    iris = sorted({o for m in items for o in m.orgs})
    return sorted(((o, labels.get(o) or o.rsplit("/", 1)[-1]) for o in iris), key=lambda x: x[1])


def _everything() -> tuple[list[Meeting], list[tuple[str, str]]]:
    """Every meeting and the organizations to filter by; kept until the store is written."""
    store = get_store()
    found = meetings(store)
    return found, organizations(found, labels(store, [ox.NamedNode(o) for m in found for o in m.orgs]))


@bp.get("/network")
def network() -> str:
    """The meetings network page, filtered by the query string."""
    everything, orgs = cached("network", _everything)
    first, last, org = _day_arg("from"), _day_arg("to"), request.args.get("org") or None
    chosen = select(everything, first, last, org)
    return render_template("network.html", root=root(), picture=drawing(chosen), meetings=len(chosen),
                           orgs=orgs, args={"from": request.args.get("from", ""), "to": request.args.get("to", ""),
                                            "org": org or ""})
