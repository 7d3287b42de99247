"""Every SHACL shape has a conforming and a violating fixture, and fails exactly where it should.

A fixture is `tests/shapes/<Shape>.valid.ttl` or `tests/shapes/<Shape>.invalid[-<rule>].ttl`, named
after the node shape it exercises. Each is validated against ALL the shapes, so a fixture is a
realistic, self-contained graph: a valid one yields no finding at all, and an invalid one yields
exactly the (shape, focus node, severity) results its `# expect:` header lines declare.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from kg.validation.result import Finding
from kg.validation.shacl import load_shapes, validate_graph

ROOT = Path(__file__).resolve().parent.parent
SHAPES_DIR = ROOT / "shapes"
FIXTURES = Path(__file__).resolve().parent / "shapes"
KGSH = "https://kg.example.org/def/shapes#"
EXPECT = re.compile(r"^# expect: (<(?P<iri>[^>]+)>|(?P<blank>_:\w+)) (?P<severity>Violation|Warning|Info)$")
BLANK = "_:blank"  # how an expectation names a focus node that is a blank node
# Constraint parameters that make a node shape report results of its own (not via sh:property / sh:sparql).
NODE_LEVEL = {
    SH["class"], SH.datatype, SH.nodeKind, SH.pattern, SH["in"], SH.xone, SH["or"], SH["and"], SH["not"],
    SH.node, SH.minLength, SH.maxLength, SH.hasValue, SH.closed, SH.minInclusive, SH.maxInclusive,
}


def shapes_graph() -> Graph:
    return load_shapes(SHAPES_DIR)


def node_shapes() -> list[URIRef]:
    return sorted(s for s in shapes_graph().subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef))


def fixture_files() -> list[Path]:
    return sorted(FIXTURES.glob("*.ttl"))


def shape_of(fixture: Path) -> str:
    return fixture.name.split(".", 1)[0]


def kind_of(fixture: Path) -> str:
    """'valid' or 'invalid' (the rule suffix of invalid-<rule> dropped)."""
    return fixture.name.split(".")[1].split("-", 1)[0]


def expectations(fixture: Path) -> list[tuple[str, str, str]]:
    """The (shape, focus, severity) triples a fixture's `# expect:` header lines declare."""
    shape = KGSH + shape_of(fixture)
    found = []
    for line in fixture.read_text(encoding="utf-8").splitlines():
        m = EXPECT.match(line)
        if m:
            focus = m["iri"] if m["iri"] else BLANK
            found.append((shape, focus, m["severity"]))
    return found


def observed(data: Graph, findings: list[Finding]) -> list[tuple[str, str, str]]:
    """Findings as (shape, focus, severity), a blank-node focus written as _:blank."""
    def focus(f: Finding) -> str:
        return BLANK if (BNode(f.focus), None, None) in data else f.focus

    return [(f.shape, focus(f), f.severity) for f in findings]


def validate_fixture(fixture: Path) -> tuple[Graph, list[Finding]]:
    data = Graph().parse(fixture, format="turtle")
    return data, validate_graph(data, shapes_graph()).findings


VALID = [f for f in fixture_files() if kind_of(f) == "valid"]
INVALID = [f for f in fixture_files() if kind_of(f) == "invalid"]


# ---------------------------------------------------------------- the shapes files themselves


@pytest.mark.parametrize("path", sorted(SHAPES_DIR.glob("*.ttl")), ids=lambda p: p.name)
def test_shapes_file_parses(path: Path) -> None:
    graph = Graph().parse(path, format="turtle")
    assert len(graph) > 0


def test_shapes_graph_has_the_node_shapes() -> None:
    assert URIRef(KGSH + "MeetingShape") in node_shapes()
    assert len(node_shapes()) >= 20


def test_every_property_shape_has_a_message() -> None:
    g = shapes_graph()
    silent = [(str(owner), g.value(ps, SH.path)) for owner, ps in g.subject_objects(SH.property)
              if g.value(ps, SH.message) is None]
    assert silent == []


def test_every_sparql_constraint_has_a_message() -> None:
    """Its own, or that of the property shape holding it (pySHACL reports both when both are set)."""
    g = shapes_graph()
    silent = [str(shape) for shape, c in g.subject_objects(SH.sparql)
              if g.value(c, SH.message) is None and g.value(shape, SH.message) is None]
    assert silent == []


def test_every_node_shape_that_reports_has_a_message() -> None:
    """A node shape with constraints of its own (sh:nodeKind, sh:pattern, sh:xone ...) says what they mean."""
    g = shapes_graph()
    silent = [str(s) for s in node_shapes()
              if any((s, p, None) in g for p in NODE_LEVEL) and g.value(s, SH.message) is None]
    assert silent == []


def test_no_node_shape_doubles_a_sparql_message() -> None:
    """A node shape's own sh:message is added to its SPARQL results too: keep one message per result."""
    g = shapes_graph()
    doubled = [str(s) for s, c in g.subject_objects(SH.sparql)
               if g.value(c, SH.message) is not None and g.value(s, SH.message) is not None]
    assert doubled == []


def test_every_shape_severity_is_a_shacl_severity() -> None:
    """sh:severity only counts on a shape: on a SPARQL constraint pySHACL ignores it (a Violation results)."""
    g = shapes_graph()
    assert set(g.objects(None, SH.severity)) <= {SH.Violation, SH.Warning, SH.Info}
    misplaced = [str(s) for s, c in g.subject_objects(SH.sparql) if (c, SH.severity, None) in g]
    assert misplaced == []


# ---------------------------------------------------------------- the fixture set is complete


@pytest.mark.parametrize("shape", node_shapes(), ids=lambda s: s.removeprefix(KGSH))
def test_every_node_shape_has_a_fixture_pair(shape: URIRef) -> None:
    name = shape.removeprefix(KGSH)
    assert (FIXTURES / f"{name}.valid.ttl").is_file(), f"missing tests/shapes/{name}.valid.ttl"
    assert (FIXTURES / f"{name}.invalid.ttl").is_file(), f"missing tests/shapes/{name}.invalid.ttl"


def test_every_fixture_is_named_after_a_node_shape() -> None:
    names = {s.removeprefix(KGSH) for s in node_shapes()}
    strays = [f.name for f in fixture_files() if shape_of(f) not in names or kind_of(f) not in ("valid", "invalid")]
    assert strays == []


def test_every_invalid_fixture_declares_what_must_fail() -> None:
    assert [f.name for f in INVALID if not expectations(f)] == []


def test_every_rule_is_exercised_by_an_invalid_fixture() -> None:
    """Each message a constraint can report (property shape, SPARQL rule, node-level) is seen at least once."""
    g = shapes_graph()
    holders = {ps for ps in g.objects(None, SH.property)} | {c for c in g.objects(None, SH.sparql)}
    holders |= {s for s in node_shapes() if any((s, p, None) in g for p in NODE_LEVEL)}
    wanted = {(str(m)) for h in holders for m in g.objects(h, SH.message) if isinstance(m, Literal)}
    seen = {f.message for fixture in INVALID for f in validate_fixture(fixture)[1]}
    assert sorted(wanted - seen) == []


# ---------------------------------------------------------------- each fixture fails exactly as declared


@pytest.mark.parametrize("fixture", VALID, ids=lambda p: p.name)
def test_valid_fixture_has_no_findings(fixture: Path) -> None:
    _, findings = validate_fixture(fixture)
    assert findings == []


@pytest.mark.parametrize("fixture", INVALID, ids=lambda p: p.name)
def test_invalid_fixture_fails_exactly_as_declared(fixture: Path) -> None:
    data, findings = validate_fixture(fixture)
    assert Counter(observed(data, findings)) == Counter(expectations(fixture)), [f.message for f in findings]


def test_fixture_comparison_can_fail() -> None:
    """A valid fixture checked against an invalid one's expectations does not pass (the check has teeth)."""
    data, findings = validate_fixture(FIXTURES / "MeetingShape.valid.ttl")
    assert Counter(observed(data, findings)) != Counter(expectations(FIXTURES / "MeetingShape.invalid.ttl"))
