"""HTML pages and the ontology: the index at /, and /def/kg, /ontology and /shapes.

The ontology and shapes are hash-IRI vocabularies (https://kg.example.org/def/kg#Rank), so
dereferencing /def/kg gives the whole ontology, in which each term is one entry: Turtle by
default, other RDF formats by Accept or extension, and for browsers the documentation page
kg.docs generates from the same Turtle files. /ontology is the same document; /def/shapes and
/shapes serve the shapes. /def/kg/{module} serves one module file of the ontology.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request

from kg import docs
from kg.errors import NotFound
from kg.named import named_queries
from kg.namespaces import KG, ORG, SCHEMA
from kg.void import statistics
from kg.web import get_settings, get_store
from kg.web.links import base_iri, root
from kg.web.page_cache import cached
from kg.web.representations import HTML, link_header, negotiate, rdf_bytes, split_extension

bp = Blueprint("pages", __name__, template_folder="templates")
COUNTED = (  # label, class counted, the page that lists them
    ("articles", SCHEMA.NewsArticle, "browse/articles"),
    ("people", SCHEMA.Person, "browse/people"),
    ("organizations", ORG.Organization, "browse/organizations"),
    ("posts", ORG.Post, "query?name=positions"),
    ("meetings", KG.Meeting, "network"),
    ("statements", KG.Statement, "query?name=statements"),
)
EXAMPLE = """PREFIX schema: <https://schema.org/>
SELECT ?person ?name WHERE {
  ?person a schema:Person ; schema:name ?name .
} ORDER BY ?name LIMIT 20"""


@bp.route("/", methods=["GET", "HEAD"])
def index() -> str:
    """The front page: counts, a query form, the named queries and the endpoints.

    The counts are kept until the store is written (kg.web.page_cache), not checked against the
    dumps' change marker, which counts the whole store on every request.
    """
    stats = cached("index-statistics", lambda: statistics(get_store()))
    counts = [(label, stats.classes.get(str(cls), 0), href) for label, cls, href in COUNTED]
    return render_template(
        "index.html",
        root=root(),
        base_iri=base_iri(),
        stats=stats,
        counts=counts,
        queries=list(named_queries().values()),
        example=EXAMPLE,
    )


@bp.route("/def/<path:rest>", methods=["GET", "HEAD"])
def definitions(rest: str) -> Response:
    """The ontology (/def/kg, /def/kg/{module}) or the shapes (/def/shapes)."""
    stem, media_type = split_extension(rest)
    settings = get_settings()
    if stem == "kg":
        return _vocabulary(docs.ontology_files(settings.ontology_dir), "def/kg", media_type)
    if stem == "shapes":
        return _vocabulary(_shape_files(), "def/shapes", media_type)
    module = Path(settings.ontology_dir) / f"{stem.removeprefix('kg/')}.ttl"
    if stem.startswith("kg/") and module in docs.ontology_files(settings.ontology_dir):
        return _vocabulary([module], f"def/{stem}", media_type, html=False)
    raise NotFound(f"no definitions at /def/{rest}")


@bp.route("/ontology", defaults={"ext": None}, methods=["GET", "HEAD"])
@bp.route("/ontology.<ext>", methods=["GET", "HEAD"])
def ontology(ext: str | None) -> Response:
    """The whole ontology, as at /def/kg."""
    return definitions(f"kg.{ext}" if ext else "kg")


@bp.route("/shapes", defaults={"ext": None}, methods=["GET", "HEAD"])
@bp.route("/shapes.<ext>", methods=["GET", "HEAD"])
def shapes(ext: str | None) -> Response:
    """The SHACL shapes, as at /def/shapes."""
    return definitions(f"shapes.{ext}" if ext else "shapes")


def _shape_files() -> list[Path]:
    return docs.shape_files(get_settings().shapes_dir)


def _vocabulary(paths: list[Path], path: str, media_type: str | None, *, html: bool = True) -> Response:
    choice = negotiate(request.headers.get("Accept"), media_type)
    if choice.media_type == HTML and html:
        body: str | bytes = render_template("ontology.html", root=root(), docs=_documentation())
    else:
        if choice.media_type == HTML:
            choice = negotiate(None, "text/turtle")
        body = rdf_bytes(_triples(tuple(paths), _stamp(paths)), choice)
    response = Response(body, content_type=choice.content_type)
    response.headers["Link"] = link_header(f"{root()}{path}")
    if media_type is None:
        response.vary.add("Accept")
    response.add_etag()
    return response.make_conditional(request)


def _stamp(paths: list[Path]) -> tuple[float, ...]:
    return tuple(p.stat().st_mtime for p in paths)


@lru_cache(maxsize=8)
def _triples(paths: tuple[Path, ...], stamp: tuple[float, ...]) -> list[ox.Triple]:
    """The triples of the Turtle files; cached until a file changes (`stamp` is their mtimes)."""
    out: list[ox.Triple] = []
    for p in paths:
        out.extend(q.triple for q in ox.parse(path=str(p), format=ox.RdfFormat.TURTLE))
    return out


def _documentation() -> dict:
    settings = get_settings()
    files = [*docs.ontology_files(settings.ontology_dir), *_shape_files()]
    return _cached_docs(str(settings.ontology_dir), str(settings.shapes_dir), _stamp(files))


@lru_cache(maxsize=4)
def _cached_docs(ontology_dir: str, shapes_dir: str, stamp: tuple[float, ...]) -> dict:
    return docs.documentation(Path(ontology_dir), Path(shapes_dir))
