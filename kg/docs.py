"""Documentation of the ontology, generated from its Turtle: one HTML page, every term and shape.

Every class and property gets its label, definition, parents, domain and range, and the shapes
that constrain it (node shapes targeting a class, property shapes on a property's path or
requiring a class of their values). Anchors are the terms' local names, so the hash IRI
https://kg.example.org/def/kg#Rank lands on its entry. The service serves this page at /def/kg
for browsers; `write_docs` writes the same page to a static file (docs/ontology.html).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS

from kg.config import turtle_files
from kg.jsonld import compact
from kg.namespaces import KG, bind_all

ONTOLOGY_IRI = URIRef(str(KG).rstrip("#"))
SHAPES = "https://kg.example.org/def/shapes#"  # the shapes' own namespace, kgsh: in shapes/*.ttl
CLASSES = (OWL.Class, RDFS.Class)
PROPERTIES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)


def ontology_files(ontology_dir: Path) -> list[Path]:
    """The ontology's Turtle modules: every .ttl file but the reference data (reference*.ttl)."""
    return [p for p in turtle_files(Path(ontology_dir), "ontology") if not p.name.startswith("reference")]


def shape_files(shapes_dir: Path) -> list[Path]:
    """The shapes' Turtle files; a missing or empty folder raises ConfigError."""
    return turtle_files(Path(shapes_dir), "shapes")


def load_graph(paths: list[Path]) -> Graph:
    graph = bind_all(Graph())
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


@dataclass
class Term:
    """One documented class or property."""

    iri: str
    curie: str
    anchor: str
    kind: str
    label: str
    definition: str
    facts: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)  # name -> [(text, href)]
    shapes: list[tuple[str, str, str]] = field(default_factory=list)  # (shape, href, how it constrains)


def anchor(iri: str) -> str:
    """The fragment a term's entry has: its local name for kg terms and shapes, 'prefix-Name' for reused ones."""
    for namespace in (str(KG), SHAPES):
        if iri.startswith(namespace):
            return iri[len(namespace) :]
    return compact(iri).replace(":", "-")


def name(iri: str) -> str:
    """The CURIE a term or shape is shown by: kg:Rank, kgsh:RankShape, schema:Person."""
    return f"kgsh:{iri[len(SHAPES) :]}" if iri.startswith(SHAPES) else compact(iri)


def _ref(graph: Graph, node, documented: set[str]) -> tuple[str, str]:
    iri = str(node)
    href = f"#{anchor(iri)}" if iri in documented else iri
    return (compact(iri) if not isinstance(node, BNode) else "(anonymous)", href)


def _text(graph: Graph, node, *props) -> str:
    for prop in props:
        values = sorted(graph.objects(node, prop), key=lambda v: (getattr(v, "language", None) not in (None, "en"), v))
        if values:
            return str(values[0])
    return ""


def _shapes_of(shapes: Graph, iri: URIRef, kind: str) -> list[tuple[str, str, str]]:
    found = []
    if kind == "class":
        found += [(s, "targets its instances") for s in shapes.subjects(SH.targetClass, iri)]
        for prop_shape in shapes.subjects(SH["class"], iri):
            for owner in shapes.subjects(SH.property, prop_shape):
                found.append((owner, f"requires it as the class of {compact(str(shapes.value(prop_shape, SH.path)))}"))
    else:
        for prop_shape in shapes.subjects(SH.path, iri):
            for owner in shapes.subjects(SH.property, prop_shape):
                message = _text(shapes, prop_shape, SH.message) or "constrains its values"
                found.append((owner, message))
    return sorted({(name(str(s)), f"#{anchor(str(s))}", how) for s, how in found})


def terms(ontology: Graph, shapes: Graph) -> list[Term]:
    """Every class and property the ontology declares, classes first, each in name order."""
    kinds = {str(s): "class" for c in CLASSES for s in ontology.subjects(RDF.type, c) if isinstance(s, URIRef)}
    kinds |= {str(s): "property" for c in PROPERTIES for s in ontology.subjects(RDF.type, c) if isinstance(s, URIRef)}
    documented = set(kinds)
    out = []
    for iri, kind in kinds.items():
        node = URIRef(iri)
        facts = [
            (name, [_ref(ontology, o, documented) for o in sorted(ontology.objects(node, prop))])
            for name, prop in (
                ("subclass of", RDFS.subClassOf),
                ("subproperty of", RDFS.subPropertyOf),
                ("domain", RDFS.domain),
                ("range", RDFS.range),
            )
        ]
        out.append(
            Term(
                iri=iri,
                curie=compact(iri),
                anchor=anchor(iri),
                kind=kind,
                label=_text(ontology, node, RDFS.label, SKOS.prefLabel) or compact(iri),
                definition=_text(ontology, node, SKOS.definition, RDFS.comment),
                facts=[(name, refs) for name, refs in facts if refs],
                shapes=_shapes_of(shapes, node, kind),
            )
        )
    return sorted(out, key=lambda t: (t.kind != "class", t.curie.lower()))


def shape_list(shapes: Graph) -> list[dict]:
    """The node shapes, each with its targets and the messages of its constraints."""
    out = []
    for shape in sorted(set(shapes.subjects(RDF.type, SH.NodeShape))):
        if isinstance(shape, BNode):
            continue
        targets = sorted(compact(str(t)) for t in shapes.objects(shape, SH.targetClass))
        parts = [*shapes.objects(shape, SH.property), *shapes.objects(shape, SH.sparql)]
        rules = sorted({_text(shapes, p, SH.message) for p in parts} - {""})
        out.append({"curie": name(str(shape)), "anchor": anchor(str(shape)), "targets": targets, "rules": rules})
    return out


def header(ontology: Graph) -> dict:
    """Title, description, version and license of the ontology."""
    return {
        "iri": str(ONTOLOGY_IRI),
        "title": _text(ontology, ONTOLOGY_IRI, DCTERMS.title, RDFS.label) or "kg ontology",
        "description": _text(ontology, ONTOLOGY_IRI, DCTERMS.description),
        "version": _text(ontology, ONTOLOGY_IRI, OWL.versionInfo),
        "license": _text(ontology, ONTOLOGY_IRI, DCTERMS.license),
    }


def documentation(ontology_dir: Path, shapes_dir: Path) -> dict:
    """Everything the documentation page shows, read from the Turtle files."""
    ontology = load_graph(ontology_files(ontology_dir))
    shapes = load_graph(turtle_files(Path(shapes_dir), "shapes"))
    return {"header": header(ontology), "terms": terms(ontology, shapes), "shapes": shape_list(shapes)}


def environment() -> Environment:
    """The Jinja environment of kg's templates, autoescaping HTML, for use outside Flask."""
    return Environment(loader=PackageLoader("kg", "web/templates"), autoescape=select_autoescape(["html"]))


def write_docs(path: Path, ontology_dir: Path, shapes_dir: Path, *, root: str = "https://kg.example.org/") -> Path:
    """Write the ontology's documentation page to `path`, with its stylesheet inline."""
    css = (Path(__file__).parent / "web" / "static" / "kg.css").read_text(encoding="utf-8")
    html = (
        environment()
        .get_template("ontology.html")
        .render(docs=documentation(ontology_dir, shapes_dir), root=root, inline_css=css)
    )
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path
