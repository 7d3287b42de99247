"""The ontology is complete: it parses, its modules carry their metadata, and every term is declared.

"Every term" means each class, property and individual the shapes constrain (targets, sh:class,
sh:path including sequence paths, sh:in, and the terms inside SPARQL constraints) and each
predicate and rdf:type the loader writes, read off graphs built from hand-made facts that cover
every kind of fact. Those graphs must also pass all the shapes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS, XSD
from rdflib.paths import Path as PropertyPath
from rdflib.plugins.sparql import prepareQuery

from kg import facts
from kg.build import build_article
from kg.iris import Minter
from kg.reference import Reference, load_reference
from kg.validation.shacl import load_shapes, validate_graph

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_DIR = ROOT / "ontology"
SHAPES_DIR = ROOT / "shapes"
BASE = "https://kg.example.org/"
NOW = datetime(2021, 12, 1, 9, 30, tzinfo=UTC)

CLASS = {OWL.Class}
PROPERTY = {OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}
INDIVIDUAL = {OWL.NamedIndividual}
ANY = CLASS | PROPERTY | INDIVIDUAL
EXEMPT_NAMESPACES = (str(OWL), str(SH), str(XSD))
EXEMPT = {RDF.type, RDFS.label}


def is_reference(path: Path) -> bool:
    return path.name.startswith("reference")


def ontology_files() -> list[Path]:
    return sorted(ONTOLOGY_DIR.glob("*.ttl"))


def parse(path: Path) -> Graph:
    """Reference data has relative IRIs: it is parsed against the base IRI, as the loader does."""
    return Graph().parse(path, format="turtle", publicID=BASE if is_reference(path) else None)


def ontology() -> Graph:
    graph = Graph()
    for path in ontology_files():
        if not is_reference(path):
            graph += parse(path)
    return graph


def reference() -> Reference:
    return load_reference(ONTOLOGY_DIR, BASE)


def undeclared(used: dict[URIRef, set[URIRef]], onto: Graph) -> list[str]:
    """The used terms not declared as one of the kinds allowed for their use, or without label or definition."""
    problems = []
    for term, kinds in sorted(used.items()):
        if term in EXEMPT or str(term).startswith(EXEMPT_NAMESPACES):
            continue
        if not set(onto.objects(term, RDF.type)) & kinds:
            named = sorted("owl:" + k.removeprefix(str(OWL)) for k in kinds)
            problems.append(f"{term} is not declared as {' or '.join(named) or 'one kind of term'}")
        elif onto.value(term, RDFS.label) is None or onto.value(term, SKOS.definition) is None:
            problems.append(f"{term} has no rdfs:label or no skos:definition")
    return problems


def use(used: dict[URIRef, set[URIRef]], term: object, kinds: set[URIRef]) -> None:
    """Record that `term` is used in a way that needs it declared as one of `kinds`."""
    if isinstance(term, URIRef):
        used[term] = used.get(term, ANY) & kinds if term in used else set(kinds)


# ---------------------------------------------------------------- terms the shapes use


def path_terms(shapes: Graph, path: object) -> set[URIRef]:
    """The properties in a SHACL path: a predicate, a sequence (RDF list), or an inverse/alternative/... path."""
    if isinstance(path, URIRef):
        return {path}
    if not isinstance(path, BNode):
        return set()
    if shapes.value(path, RDF.first) is not None:
        return set().union(*(path_terms(shapes, p) for p in Collection(shapes, path)))
    nested = (SH.inversePath, SH.alternativePath, SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath)
    return set().union(set(), *(path_terms(shapes, shapes.value(path, p)) for p in nested if shapes.value(path, p)))


def sparql_terms(query: str, prefixes: dict[str, str]) -> set[URIRef]:
    """Every IRI a SPARQL query's algebra names (predicates, classes, constants)."""
    found: set[URIRef] = set()

    def walk(node: object) -> None:
        if isinstance(node, URIRef):
            found.add(node)
        elif isinstance(node, PropertyPath):
            for part in vars(node).values():
                walk(part)
        elif isinstance(node, dict):
            for part in node.values():
                walk(part)
        elif isinstance(node, list | tuple | set):
            for part in node:
                walk(part)

    walk(prepareQuery(query, initNs=prefixes).algebra)
    return found


def shape_terms(shapes: Graph) -> dict[URIRef, set[URIRef]]:
    used: dict[URIRef, set[URIRef]] = {}
    for prop in (SH.targetClass, SH["class"]):
        for cls in shapes.objects(None, prop):
            use(used, cls, CLASS)
    for path in shapes.objects(None, SH.path):
        for term in path_terms(shapes, path):
            use(used, term, PROPERTY)
    for members in shapes.objects(None, SH["in"]):
        for member in Collection(shapes, members):
            use(used, member, INDIVIDUAL)
    prefixes = {str(shapes.value(d, SH.prefix)): str(shapes.value(d, SH.namespace))
                for d in shapes.objects(None, SH.declare)}
    for query in shapes.objects(None, SH.select):
        for term in sparql_terms(str(query), prefixes):
            use(used, term, ANY)
    return used


# ---------------------------------------------------------------- terms the loader writes

DATED = facts.ArticleFacts(
    article=facts.Article(
        text="A made-up release: officials met at a council session and a forum.",
        title="Officials meet at the council",
        published="2021-11-25",
        url="https://news.example.org/2021/11/25/council",
        publisher="State Migration Service",
        byline="Press Office",
    ),
    people=[facts.Person("Nadia Rahimova", aliases=["N.Rahimova", "Ms. Rahimova"]),
            facts.Person("Omar Haddad"), facts.Person("Lena Berg")],
    organizations=[facts.Organization("State Migration Service", aliases=["SMS"]),
                   facts.Organization("Northern Registry Agency", aliases=["NRA"], country="Azerbaijan")],
    positions=[
        facts.Position("Nadia Rahimova", "Chief", "State Migration Service", "Chief Nadia Rahimova spoke.",
                       start="2019-06-01", end="2021-10-31"),
        facts.Position("Omar Haddad", "Deputy Minister of Interior", "Republic of Turkiye", "Omar Haddad, deputy."),
        facts.Position("Lena Berg", "Director", "Northern Registry Agency", "Director Lena Berg.", start="2020-01-15"),
    ],
    ranks=[facts.Rank("Nadia Rahimova", "II rank state migration service councelor", "Nadia Rahimova, II rank.")],
    events=[
        facts.Event("council", "112th session of the IOM Council", series="IOM Council", ordinal=112,
                    kind="session", location="Geneva", start="2021-11-29", end="2021-12-01",
                    organizers=["International Organization for Migration"], mode="hybrid"),
        facts.Event("hls", "High-level segment", kind="segment", part_of="council", start="2021-11-29"),
        facts.Event("forum", "Northern Forum on Registration", kind="forum", organizers=["Northern Registry Agency"],
                    mode="video", start="2021"),
    ],
    participations=[facts.Participation("Nadia Rahimova", "council", "head of delegation", "She led it."),
                    facts.Participation("Lena Berg", "forum", "speaker", "Lena Berg spoke at the forum.")],
    statements=[facts.Statement("Nadia Rahimova", "hls", mode="video", topics=["statelessness", "refugees"],
                                evidence="She addressed the segment by video.")],
    meetings=[facts.Meeting(["Nadia Rahimova", "Lena Berg"], date="2021-11-30", location="Geneva", event="council",
                            topics=["labour migration"], evidence="The two met in Geneva.")],
    delegations=[facts.Delegation("council", country="Azerbaijan", head="Nadia Rahimova", members=["Lena Berg"],
                                  evidence="The delegation of Azerbaijan was led by Nadia Rahimova.")],
    elections=[facts.Election("Omar Haddad", "Chair of the Council", "International Organization for Migration",
                              event="council", evidence="Omar Haddad was elected Chair.")],
    congratulations=[facts.Congratulation("Nadia Rahimova", "Omar Haddad", on_election=True,
                                          evidence="She congratulated him on his election.")],
)

UNDATED = facts.ArticleFacts(
    article=facts.Article(text="A made-up note with no date and a rank the reference data lacks."),
    people=[facts.Person("Pavel Marek")],
    positions=[facts.Position("Pavel Marek", "Head", "Eastern Border Office", "Pavel Marek, Head of the office.")],
    ranks=[facts.Rank("Pavel Marek", "senior border inspector", "Senior border inspector Pavel Marek.")],
)


def built(found: facts.ArticleFacts) -> Graph:
    return build_article(found, reference(), Minter(BASE), now=NOW).graph


def loader_terms(graph: Graph) -> dict[URIRef, set[URIRef]]:
    used: dict[URIRef, set[URIRef]] = {}
    for _, p, o in graph:
        use(used, p, PROPERTY)
        if p == RDF.type:
            use(used, o, CLASS)
    return used


# ---------------------------------------------------------------- tests: files and metadata


@pytest.mark.parametrize("path", ontology_files(), ids=lambda p: p.name)
def test_ontology_file_parses(path: Path) -> None:
    assert len(parse(path)) > 0


def test_reference_data_resolves_against_the_base_iri() -> None:
    data = parse(ONTOLOGY_DIR / "reference.ttl")
    assert (URIRef(BASE + "id/org/iom"), RDF.type, URIRef("http://www.w3.org/ns/org#Organization")) in data


def modules() -> list[URIRef]:
    return sorted(ontology().subjects(RDF.type, OWL.Ontology))


@pytest.mark.parametrize("module", modules(), ids=str)
def test_every_module_has_title_license_and_version_iri(module: URIRef) -> None:
    onto = ontology()
    assert onto.value(module, DCTERMS.title) is not None
    assert isinstance(onto.value(module, DCTERMS.license), URIRef)
    assert isinstance(onto.value(module, OWL.versionIRI), URIRef)


def test_modules_share_the_header_version() -> None:
    onto = ontology()
    header = URIRef("https://kg.example.org/def/kg")
    version = str(onto.value(header, OWL.versionInfo))
    stale = [str(m) for m in modules() if not str(onto.value(m, OWL.versionIRI)).endswith("/" + version)]
    assert stale == []
    assert set(onto.objects(header, OWL.imports)) == set(modules()) - {header}


# ---------------------------------------------------------------- tests: every term used is declared


def test_term_check_catches_an_undeclared_term() -> None:
    """The check has teeth: a made-up term, or a class used as a property, is reported."""
    made_up = URIRef("https://kg.example.org/def/kg#madeUp")
    person = URIRef("https://schema.org/Person")
    assert undeclared({made_up: PROPERTY, person: PROPERTY}, ontology()) == [
        f"{made_up} is not declared as owl:AnnotationProperty or owl:DatatypeProperty or owl:ObjectProperty",
        f"{person} is not declared as owl:AnnotationProperty or owl:DatatypeProperty or owl:ObjectProperty",
    ]


def test_shape_term_extraction_reads_sequence_paths_and_sparql() -> None:
    used = shape_terms(load_shapes(SHAPES_DIR))
    time = "http://www.w3.org/2006/time#"
    assert URIRef(time + "inXSDDate") in used  # only inside ( time:hasBeginning time:inXSDDate )
    assert URIRef("https://kg.example.org/def/kg#headedBy") in used  # also in a SPARQL rule
    assert used[URIRef("https://schema.org/OnlineEventAttendanceMode")] == INDIVIDUAL  # from sh:in


def test_every_term_the_shapes_use_is_declared() -> None:
    assert undeclared(shape_terms(load_shapes(SHAPES_DIR)), ontology()) == []


def test_every_term_the_loader_writes_is_declared() -> None:
    used = loader_terms(built(DATED)) | loader_terms(built(UNDATED))
    assert len(used) > 60  # the hand-made facts reach every kind of node the loader writes
    assert undeclared(used, ontology()) == []


def test_hand_made_facts_cover_every_fact_class() -> None:
    kg = "https://kg.example.org/def/kg#"
    kinds = {"PostHolding", "RankAttestation", "Participation", "Statement", "Meeting", "Delegation", "Election",
             "Congratulation", "Session", "Segment", "Forum", "ArticleGraph", "Extraction"}
    graph = built(DATED)
    assert {k for k in kinds if (None, RDF.type, URIRef(kg + k)) not in graph} == set()
    time = "http://www.w3.org/2006/time#"
    assert (None, URIRef(time + "hasEnd"), None) in graph and (None, URIRef(kg + "occasion"), None) in graph


# ---------------------------------------------------------------- tests: the loader's graphs pass the shapes


def test_a_fully_stated_article_passes_every_shape_without_findings() -> None:
    data = built(DATED) + reference().data
    result = validate_graph(data, load_shapes(SHAPES_DIR))
    assert result.conforms
    assert [(f.shape, f.focus, f.message) for f in result.findings] == []


def test_an_undated_article_conforms_with_warnings_only() -> None:
    data = built(UNDATED) + reference().data
    result = validate_graph(data, load_shapes(SHAPES_DIR))
    assert result.conforms
    assert sorted({(f.shape.rsplit("#", 1)[-1], f.severity) for f in result.findings}) == [
        ("NewsArticleShape", "Warning"), ("PostHoldingShape", "Warning"),
        ("RankAttestationShape", "Warning"), ("RankShape", "Warning"),
    ]


# ---------------------------------------------------------------- tests: the ontology passes its own shapes


def test_the_ontology_conforms_to_the_ontology_shapes() -> None:
    result = validate_graph(ontology(), load_shapes(SHAPES_DIR / "ontology.ttl"))
    assert [(f.focus, f.message) for f in result.findings] == []
    assert result.conforms


def test_the_ontology_shapes_reach_every_declared_term() -> None:
    """kgsh:OntologyTermShape targets each kind of term the ontology declares and labels."""
    onto, shapes = ontology(), load_shapes(SHAPES_DIR / "ontology.ttl")
    targets = set(shapes.objects(URIRef("https://kg.example.org/def/shapes#OntologyTermShape"), SH.targetClass))
    kinds = {k for t in onto.subjects(RDFS.label, None) for k in onto.objects(t, RDF.type)}
    assert kinds and kinds - targets == set()
