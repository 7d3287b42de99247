"""Formatting validation results for people (text) and machines (Turtle, JSON, JUnit XML)."""

from __future__ import annotations

import json
from collections import defaultdict
from xml.etree import ElementTree as ET

from kg.validation.result import Finding, ValidationResult


def _short(iri: str) -> str:
    for sep in ("#", "/"):
        if sep in iri:
            return iri.rsplit(sep, 1)[-1] or iri
    return iri


def as_text(result: ValidationResult, *, label: str = "") -> str:
    """Readable report grouped by shape, then focus node."""
    head = f"{label}: " if label else ""
    if not result.findings:
        return f"{head}conforms"
    verdict = "conforms (with warnings)" if result.conforms else "does not conform"
    lines = [f"{head}{verdict}: {len(result.findings)} result(s)"]
    by_shape: dict[str, list[Finding]] = defaultdict(list)
    for f in result.findings:
        by_shape[f.shape].append(f)
    for shape, items in by_shape.items():
        lines.append(f"  shape {shape}")
        for f in items:
            where = f" path {_short(f.path)}" if f.path else ""
            value = f" value {f.value}" if f.value else ""
            lines.append(f"    {f.severity}: {f.focus}{where}{value}: {f.message} [{f.constraint}]")
    return "\n".join(lines)


def as_json(result: ValidationResult) -> str:
    return json.dumps(
        {"conforms": result.conforms, "results": [f.__dict__ for f in result.findings]}, indent=2
    )


def as_turtle(result: ValidationResult) -> str:
    return result.report.serialize(format="turtle")


def as_junit(result: ValidationResult, *, shapes: list[str], name: str = "kg validate") -> str:
    """JUnit XML: one test case per shape, failures listing the focus nodes that broke it."""
    by_shape: dict[str, list[Finding]] = defaultdict(list)
    for f in result.findings:
        by_shape[f.shape].append(f)
    failing = [s for s in by_shape if any(f.severity == "Violation" for f in by_shape[s])]
    suite = ET.Element("testsuite", name=name, tests=str(len(set(shapes) | set(by_shape))),
                       failures=str(len(failing)))
    for shape in sorted(set(shapes) | set(by_shape)):
        case = ET.SubElement(suite, "testcase", classname="shacl", name=shape)
        items = by_shape.get(shape, [])
        if not items:
            continue
        body = "\n".join(f"{f.severity}: {f.focus} {f.path or ''} {f.message}" for f in items)
        if shape in failing:
            ET.SubElement(case, "failure", message=f"{len(items)} result(s)").text = body
        else:
            ET.SubElement(case, "system-out").text = body
    return ET.tostring(suite, encoding="unicode")
