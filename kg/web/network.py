"""/network: who met whom, people as nodes and meetings as edges, drawn as SVG by the server.

Filtered by period (`from`, `to`, ISO dates; a meeting with no date is kept only when no period
is asked for) and by organization (`org`, an IRI: meetings with at least one participant who
held a post in it). People are placed on a circle ordered by name, so the same data gives the
same picture; with many people only the best-connected are labelled, the rest in tooltips.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pyoxigraph as ox
from flask import Blueprint, render_template, request

from kg.errors import UsageError
from kg.resource_description import labels
from kg.web import get_store, page_queries
from kg.web.links import root, url_for_iri
from kg.web.timeline import parse_day

bp = Blueprint("network", __name__, template_folder="templates")
SIZE, LABELLED = 640, 40


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
    """Nodes on a circle and one edge per pair of people who met (its weight: how many meetings)."""
    names: dict[str, str] = {}
    edges: dict[tuple[str, str], list[Meeting]] = {}
    for m in items:
        names.update(m.people)
        people = sorted(m.people)
        for i, a in enumerate(people):
            for b in people[i + 1 :]:
                edges.setdefault((a, b), []).append(m)
    order = sorted(names, key=lambda p: (names[p], p))
    degree = {p: 0 for p in order}
    for a, b in edges:
        degree[a] += 1
        degree[b] += 1
    labelled = set(sorted(order, key=lambda p: -degree[p])[:LABELLED])
    radius, centre = SIZE / 2 - 120, SIZE / 2
    at = {}
    for i, p in enumerate(order):
        angle = 2 * math.pi * i / max(1, len(order)) - math.pi / 2
        at[p] = (round(centre + radius * math.cos(angle), 1), round(centre + radius * math.sin(angle), 1), angle)
    nodes = [{"x": at[p][0], "y": at[p][1], "url": url_for_iri(p), "name": names[p], "degree": degree[p],
              "label": p in labelled, "anchor": "start" if math.cos(at[p][2]) >= 0 else "end",
              "lx": round(at[p][0] + 10 * math.cos(at[p][2]), 1), "ly": round(at[p][1] + 10 * math.sin(at[p][2]), 1)}
             for p in order]
    lines = [{"x1": at[a][0], "y1": at[a][1], "x2": at[b][0], "y2": at[b][1], "weight": len(ms),
              "tip": f"{names[a]} and {names[b]}: " + ", ".join(m.date or "undated" for m in ms)}
             for (a, b), ms in sorted(edges.items())]
    return {"nodes": nodes, "edges": lines, "size": SIZE}


def organizations(items: list[Meeting], labels: dict[str, str]) -> list[tuple[str, str]]:
    iris = sorted({o for m in items for o in m.orgs})
    return sorted(((o, labels.get(o) or o.rsplit("/", 1)[-1]) for o in iris), key=lambda x: x[1])


@bp.get("/network")
def network() -> str:
    """The meetings network page, filtered by the query string."""
    store = get_store()
    everything = meetings(store)
    first, last, org = _day_arg("from"), _day_arg("to"), request.args.get("org") or None
    chosen = select(everything, first, last, org)
    orgs = organizations(everything, labels(store, [ox.NamedNode(o) for m in everything for o in m.orgs]))
    return render_template("network.html", root=root(), picture=drawing(chosen), meetings=len(chosen),
                           orgs=orgs, args={"from": request.args.get("from", ""), "to": request.args.get("to", ""),
                                            "org": org or ""})
