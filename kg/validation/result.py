"""What a validation run returns, in plain values: the findings and how severe they are.

Apart from the engines so that both engines (pySHACL and the compiled one), the report
formatters and the web pages share these types without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph

SEVERITY_ORDER = {"Info": 0, "Warning": 1, "Violation": 2}


@dataclass(frozen=True)
class Finding:
    """One validation result, in plain values."""

    severity: str  # "Violation", "Warning" or "Info"
    focus: str
    shape: str  # the node shape the failing constraint belongs to (or the property shape if anonymous)
    path: str | None
    value: str | None
    message: str
    constraint: str


@dataclass
class ValidationResult:
    conforms: bool
    report: Graph
    findings: list[Finding] = field(default_factory=list)

    def worst(self) -> str | None:
        if not self.findings:
            return None
        return max((f.severity for f in self.findings), key=SEVERITY_ORDER.__getitem__)

    def fails_at(self, level: str) -> bool:
        """True when some finding is at least as severe as `level` (violation, warning, info)."""
        threshold = SEVERITY_ORDER[level.capitalize()]
        return any(SEVERITY_ORDER[f.severity] >= threshold for f in self.findings)
