"""Per-value SHACL tests with pySHACL's exact meaning, run from SPARQL as one custom function.

`sh:datatype` (rdflib's ill-typed rules), `sh:pattern` (Python's `re`), `sh:nodeKind`, `sh:in`
and `sh:minInclusive` (pySHACL's literal ordering) on one pyoxigraph term. pyoxigraph keeps
typed literals in canonical form ("+00:00" comes back "Z"); `Originals` maps them back to the
form the caller gave, which is what pySHACL sees.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

import pyoxigraph as ox
from pyshacl.constraints.core.value_constraints import DatatypeConstraintComponent as Dc
from pyshacl.rdfutil.compare import compare_literal
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

FN = "urn:kg:shacl-fast:"
_TRUE, _FALSE = ox.Literal(True), ox.Literal(False)

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Test = Callable[[Term, "Originals"], bool]
Originals = dict[tuple[str, str], str]  # (stored lexical form, datatype) -> lexical form as given


def lexical(term: Term, originals: Originals) -> str:
    """The term's string as the caller gave it (pyoxigraph stores some literals in canonical form)."""
    if isinstance(term, ox.Literal) and originals:
        return originals.get((term.value, term.datatype.value), term.value)
    return term.value


def test_function(tests: tuple[Callable[[Term, Originals], bool], ...], originals: Originals) -> dict:
    """The custom SPARQL function running test number `i` on a term: <urn:kg:shacl-fast:test>(?v, i)."""

    def test(v: Term, i: ox.Literal) -> ox.Literal:
        return _TRUE if tests[int(i.value)](v, originals) else _FALSE

    return {ox.NamedNode(f"{FN}test"): test}


def datatype_test(rule: str, v: Term, originals: Originals) -> bool:
    return isinstance(v, ox.Literal) and _datatype_ok(lexical(v, originals), v.datatype.value, v.language, rule)


def kind_test(kinds: tuple[type, ...], v: Term, originals: Originals) -> bool:
    return isinstance(v, kinds)


def pattern_test(regex: re.Pattern, v: Term, originals: Originals) -> bool:
    """pySHACL's PatternConstraintComponent: blank nodes never match, other terms by their string."""
    return not isinstance(v, ox.BlankNode) and regex.search(lexical(v, originals)) is not None


def in_test(items: frozenset[str], v: Term, originals: Originals) -> bool:
    return isinstance(v, ox.NamedNode) and v.value in items


_KIND_SPARQL = {ox.NamedNode: "isIRI", ox.BlankNode: "isBlank", ox.Literal: "isLiteral"}


def kind_sparql(kinds: tuple[type, ...]) -> str:
    """`kind_test` as a SPARQL condition on ?value (the same answer for every term)."""
    return "(" + " || ".join(f"{_KIND_SPARQL[k]}(?value)" for k in kinds) + ")"


def in_sparql(items: frozenset[str]) -> str:
    """`in_test` as a SPARQL condition on ?value: an IRI among the items (IRIs compare as the same term)."""
    return "(isIRI(?value) && ?value IN (" + ", ".join(f"<{i}>" for i in sorted(items)) + "))"


def datatype_sparql(rule: str) -> str | None:
    """`datatype_test` as a SPARQL condition on ?value where the two agree on every term, else None.

    Only xsd:string: pySHACL passes a literal typed xsd:string (rdflib never finds one ill-typed,
    its value is always a str) and a literal without datatype or language, which a store holds as
    xsd:string; a language-tagged literal (SPARQL's rdf:langString) and any other term fail.
    The other datatypes depend on rdflib's parsers and stay in Python.
    """
    if rule != str(XSD.string):
        return None
    return f"(isLiteral(?value) && datatype(?value) = <{XSD.string}>)"


def as_literal(lexical: str, datatype: str, language: str | None) -> Literal:
    return Literal(lexical, lang=language) if language else Literal(lexical, datatype=URIRef(datatype))


@lru_cache(maxsize=4096)  # most literals are one article's own (names, titles): a large cache only holds those
def _datatype_ok(lexical: str, datatype: str, language: str | None, rule: str) -> bool:
    """pySHACL's DatatypeConstraintComponent on one literal (rdflib's ill-typed rules included)."""
    lit, rule_iri = as_literal(lexical, datatype, language), URIRef(rule)
    if lit.datatype == rule_iri:
        return getattr(lit, "ill_typed", None) is not True and Dc._assert_actual_datatype(None, lit, rule_iri)
    if rule_iri == RDFS.Literal:
        return True
    if rule_iri == RDFS.Datatype:
        return lit.datatype is not None
    if rule_iri == RDF.langString and lit.language:
        return Dc._assert_actual_datatype(None, lit, rule_iri)
    return False


def at_least(minimum: Literal, v: Term, originals: Originals) -> bool:
    """pySHACL's MinInclusiveConstraintComponent on one value."""
    if not isinstance(v, ox.Literal):
        return False
    lit = as_literal(lexical(v, originals), v.datatype.value, v.language)
    if isinstance(minimum.value, str) != isinstance(lit.value, str):
        return False
    try:
        return compare_literal(lit, minimum) >= 0
    except (TypeError, NotImplementedError):
        return False

