"""Browse lists (/browse/people, organizations, events, articles), search, and the favicon.

Lists and search read page queries over the whole store. At 150k quads one such query takes
from a third of a second to a second, so the items of each list and the search names are kept
until the store is written (kg.web.page_cache); filtering, sorting and paging them is the
per-request work.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, Response, jsonify, redirect, render_template, request

from kg.errors import NotFound
from kg.web import get_store, page_queries
from kg.web.links import root, url_for_iri
from kg.web.listing import Listing, choose, collect, facets
from kg.web.page_cache import cached
from kg.web.search import Names, rank

bp = Blueprint("browse", __name__, template_folder="templates")
PAGE_SIZE = 100
LISTINGS = {
    "people": Listing("people", "People", "browse_people", ("organization", "country"), ("article",),
                      ("organization",)),
    "organizations": Listing("organizations", "Organizations", "browse_organizations", ("country",),
                             ("person", "article"), ("alias",)),
    "events": Listing("events", "Events", "browse_events", ("series", "country"), ("person", "article"),
                      ("series",)),
    "articles": Listing("articles", "Articles", "browse_articles", ("publisher",), ("person", "fact"),
                        ("publisher",)),
}


@bp.get("/browse/<name>")
def listing(name: str) -> str:
    """One browse list, filtered and sorted by the query string."""
    if name not in LISTINGS:
        raise NotFound(f"no list {name}; known: {', '.join(LISTINGS)}")
    spec = LISTINGS[name]
    everything = cached(f"browse-{name}", lambda: collect(page_queries.select(get_store(), spec.query)))
    args = {k: v for k, v in request.args.items() if v}
    chosen = choose(everything, spec, args)
    pages = max(1, -(-len(chosen) // PAGE_SIZE))
    page = min(max(1, request.args.get("page", 1, type=int) or 1), pages)
    shown = chosen[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    return render_template("browse.html", root=root(), spec=spec, items=shown, matching=len(chosen),
                           total=len(everything), page=page, pages=pages, facets=facets(chosen, spec),
                           args={k: v for k, v in args.items() if k != "page"}, link=_link, url=url_for_iri,
                           listings=LISTINGS)


def _link(args: dict, **change: str | None) -> str:
    """This list's URL with `change` applied to its query string (None removes a parameter)."""
    merged = {**args, **change}
    return "?" + urlencode({k: v for k, v in merged.items() if v})


def names() -> Names:
    """The search names of the store, read again only when the store changed."""
    return cached("search-names", lambda: Names.read(page_queries.select(get_store(), "search_names")))


@bp.get("/search")
def search() -> str:
    """Everything whose name, alias or acronym matches `q`, best matches first."""
    text = request.args.get("q", "").strip()
    hits = rank(names(), text, limit=200) if text else []
    return render_template("search.html", root=root(), search_text=text, hits=hits, url=url_for_iri)


@bp.get("/search/suggest")
def suggest() -> Response:
    """Up to ten suggestions for what is being typed, as JSON: label, kind, matched name, page URL."""
    text = request.args.get("q", "").strip()
    hits = rank(names(), text, limit=10) if text else []
    return jsonify([{"label": h.name, "kind": h.kind, "matched": h.matched, "url": url_for_iri(h.iri)} for h in hits])


@bp.get("/favicon.ico")
def favicon() -> Response:
    """Browsers ask for /favicon.ico whatever the page says; the icon is the SVG in static/."""
    return redirect(f"{root()}static/favicon.svg", code=301)
