"""/validation: the whole store's SHACL report as a page, grouped by shape, focus nodes linked.

The store is validated in place by the compiled engine (kg.validation.native, pySHACL's findings),
which still takes seconds on a large store, so the report is kept per store state
(kg.web.page_cache) and made again only after a write; the page says when it
was made.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime

import pyoxigraph as ox
from flask import Blueprint, render_template

from kg.resource_description import labels, titles
from kg.validation.checks import validate_open_store
from kg.validation.result import SEVERITY_ORDER, ValidationResult
from kg.validation.shacl import load_shapes
from kg.web import get_settings, get_store
from kg.web.links import root, url_for_iri
from kg.web.page_cache import cached

bp = Blueprint("validation_page", __name__, template_folder="templates")


def current_report() -> tuple[ValidationResult, str]:
    """The store's validation result and when it was made; validated again only after a change."""
    return cached("validation-report", _validate)


def _validate() -> tuple[ValidationResult, str]:
    result = validate_open_store(get_store(), load_shapes(get_settings().shapes_dir))
    return result, datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _names(result: ValidationResult) -> dict[str, str]:
    """The name or title of each focus node of the findings."""
    nodes = [ox.NamedNode(f.focus) for f in result.findings if f.focus.startswith("http")]
    store = get_store()
    return {**titles(store, nodes), **labels(store, nodes)}


def grouped(result: ValidationResult) -> list[dict]:
    """Findings by shape, worst shapes first, each focus node with its page and name."""
    by_shape: dict[str, list] = defaultdict(list)
    for finding in result.findings:
        by_shape[finding.shape].append(finding)
    names = cached("validation-names", lambda: _names(result))  # a title costs milliseconds; kept like the report
    groups = []
    for shape, findings in by_shape.items():
        worst = max((f.severity for f in findings), key=SEVERITY_ORDER.__getitem__)
        groups.append({
            "shape": shape, "short": shape.rsplit("#", 1)[-1].rsplit("/", 1)[-1], "worst": worst,
            "findings": [{"finding": f, "url": url_for_iri(f.focus) if f.focus.startswith("http") else None,
                          "name": names.get(f.focus) or f.focus.rsplit("/", 1)[-1]} for f in findings],
        })
    return sorted(groups, key=lambda g: (-SEVERITY_ORDER[g["worst"]], g["short"]))


@bp.get("/validation")
def validation() -> str:
    """The report page."""
    result, made = current_report()
    counts = defaultdict(int)
    for f in result.findings:
        counts[f.severity] += 1
    return render_template("validation.html", root=root(), result=result, groups=grouped(result), made=made,
                           counts=dict(counts))
