"""Dereferencing: every IRI kg mints answers with a description of what it names.

Design (W3C "Cool URIs for the Semantic Web", section 4.2, "303 URIs forwarding to one generic
document"): an IRI under `/id/` names a thing (a person, a post, an article), not a web page,
so `GET /id/{path}` answers `303 See Other` to the document about it, `/doc/{path}`. That one
document is content-negotiated: a browser gets HTML, other clients Turtle (the default),
N-Triples, JSON-LD or RDF/XML by `Accept`; `/doc/{path}.ttl` (`.nt`, `.jsonld`, `.rdf`,
`.html`) names one representation, and `/id/{path}.ttl` redirects to it. Every document
carries `Link` headers to its alternates and `Vary: Accept` where it negotiated. An IRI with no
triples is 404, not a redirect to an empty page.

Named graphs (`/graph/article/{id}`) are documents already (the graph's content is what the IRI
names), so they answer 200 directly with their triples, negotiated the same way. IRIs are mapped
between the request path and `base_iri` by kg.web.links, so the service can run anywhere.
"""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, redirect, render_template, request

from kg.errors import NotFound
from kg.resource_description import INCOMING_LIMIT, Description, describe_resource, labels, titles
from kg.web import get_store, timeline
from kg.web.links import iri_for, root, url_for_iri
from kg.web.profiles import kind_of, profile
from kg.web.representations import HTML, extension_of, link_header, negotiate, rdf_bytes, split_extension
from kg.web.view import rows, term_view

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
bp = Blueprint("resources", __name__, template_folder="templates")
TITLED_LINKS = 60
INCOMING_SHOWN = 100  # links to a resource listed on its page; the RDF documents have them all
SOURCES_SHOWN = 50  # the latest articles stating something about it, listed on its page (and how many)


def _node(path: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(iri_for(path))
    except ValueError as exc:
        raise NotFound(f"not an IRI kg mints: {path}") from exc


@bp.route("/id/<path:rest>", methods=["GET", "HEAD"])
def thing(rest: str) -> Response:
    """Answer 303 See Other to the document about the thing the IRI names."""
    stem, media_type = split_extension(rest)
    node = _node(f"id/{stem}")
    if not bool(get_store().query(f"ASK {{ {{ {node} ?p ?o }} UNION {{ ?s ?p {node} }} }}")):
        raise NotFound(f"nothing is known about {node.value}")
    suffix = f".{extension_of(media_type)}" if media_type else ""
    return redirect(f"{root()}doc/{stem}{suffix}", code=303)


@bp.route("/doc/<path:rest>", methods=["GET", "HEAD"])
def document(rest: str) -> Response:
    """Answer the description of `/id/{rest}` as HTML or RDF."""
    stem, media_type = split_extension(rest)
    choice = negotiate(request.headers.get("Accept"), media_type)
    desc = describe_resource(get_store(), _node(f"id/{stem}"))
    if not desc.found:
        raise NotFound(f"nothing is known about {desc.iri.value}")
    url = f"{root()}doc/{stem}"
    if choice.media_type == HTML:
        body = _html(desc, url)
    else:
        body = rdf_bytes(desc.triples(document=url), choice)
    return _answer(body, choice.content_type, url, negotiated=media_type is None)


@bp.route("/graph/<path:rest>", methods=["GET", "HEAD"])
def graph(rest: str) -> Response:
    """Answer the content of a named graph as HTML or RDF."""
    stem, media_type = split_extension(rest)
    choice = negotiate(request.headers.get("Accept"), media_type)
    store, node = get_store(), _node(f"graph/{stem}")
    if not store.has_graph(node):
        raise NotFound(f"no named graph {node.value}")
    triples = list(store.triples(node))
    url = f"{root()}graph/{stem}"
    if choice.media_type == HTML:
        body = render_template("graph.html", root=root(), page=_graph_page(store, node, triples), doc=url)
    else:
        body = rdf_bytes(triples, choice)
    return _answer(body, choice.content_type, url, negotiated=media_type is None)


def _answer(body: str | bytes, content_type: str, url: str, *, negotiated: bool) -> Response:
    response = Response(body, content_type=content_type)
    response.headers["Link"] = link_header(url)
    if negotiated:
        response.vary.add("Accept")
        ext = extension_of(content_type.split(";")[0])
        response.headers["Content-Location"] = f"{url}.{ext}"
    return response


def _html(desc: Description, url: str) -> str:
    """The page about `desc`: its profile where it is a person, event, organization or article."""
    store = get_store()
    if kind_of(desc) in (None, "fact"):
        # intermediate nodes named by what they say: this one and the first linked ones (a title
        # costs a few milliseconds; the rest keep their path as name). A profile lists its facts
        # in words already, so only its collapsed list of all statements would use them there.
        linked = [*(t.object for t in desc.outgoing), *(t.subject for t in desc.incoming)]
        named = [desc.iri, *[n for n in dict.fromkeys(linked) if isinstance(n, ox.NamedNode)][:TITLED_LINKS]]
        desc.labels = {**titles(store, named), **desc.labels}
    page = _page(desc)
    found = profile(store, desc)
    if found is None:
        return render_template("resource.html", root=root(), page=page, doc=url)
    template, values = found
    if template == "profile_person.html":
        values["timeline"] = timeline.layout(values["facts"])
    return render_template(template, root=root(), page=page, doc=url, profile=values)


def _page(desc: Description) -> dict:
    """What resource.html shows: label, types, properties, incoming links, sources."""
    types = desc.types()
    return {
        "iri": desc.iri.value,
        "label": desc.label,
        "types": [term_view(t, desc.labels) for t in types],
        "properties": rows(((t.predicate, t.object) for t in desc.outgoing if t.predicate != RDF_TYPE), desc.labels),
        "incoming": rows(((t.predicate, t.subject) for t in desc.incoming[:INCOMING_SHOWN]), desc.labels),
        "incoming_more": max(0, len(desc.incoming) - INCOMING_SHOWN),
        "incoming_capped": len(desc.incoming) >= INCOMING_LIMIT,  # the description stopped there
        "sources": [
            {
                "graph": url_for_iri(s.graph.value),
                "graph_iri": s.graph.value,
                "article": url_for_iri(s.article.value) if s.article else None,
                "headline": s.headline,
                "published": s.published,
            }
            for s in desc.sources[:SOURCES_SHOWN]
        ],
        "source_count": len(desc.sources),
    }


def _graph_page(store, node: ox.NamedNode, triples: list[ox.Triple]) -> dict:
    """What graph.html shows: the graph's own description, then its triples grouped by subject."""
    nodes = [node, *(t.subject for t in triples), *(t.object for t in triples)]
    subjects = list(dict.fromkeys(t.subject for t in triples if isinstance(t.subject, ox.NamedNode)))
    names = {**titles(store, subjects[:TITLED_LINKS]), **labels(store, nodes)}
    subjects: dict = {}
    for t in triples:
        subjects.setdefault(t.subject, []).append((t.predicate, t.object))
    return {
        "iri": node.value,
        "label": names.get(node.value, node.value.rsplit("/", 1)[-1]),
        "count": len(triples),
        "subjects": [(term_view(s, names), rows(pairs, names)) for s, pairs in subjects.items()],
    }
