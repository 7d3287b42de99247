"""The wordings that signal each relation (meeting, attendance, speech, ...), read as data.

They live in `knowledge/signals.tsv`, one regular expression a row, so that a user teaches kg
a new wording ("paid a farewell call on") by adding a row; the rules in `kg.extract.actions`
ask for a relation's rows compiled as one alternation.
"""

from __future__ import annotations

import re
from functools import cache

from kg.extract.knowledge import table

__all__ = ["signal"]


@cache
def signal(relation: str) -> re.Pattern[str]:
    """The rows of one relation in `knowledge/signals.tsv`, compiled as alternatives.

    A bad row is reported with the relation it belongs to, so a user's edit that breaks a
    pattern names the row's relation instead of failing somewhere inside a rule.
    """
    rows = [row["pattern"] for row in table("signals") if row.get("relation") == relation]
    if not rows:
        raise KeyError(f"knowledge/signals.tsv has no rows for relation {relation!r}")
    try:
        return re.compile("|".join(f"(?:{p})" for p in rows))
    except re.error as error:
        raise ValueError(f"knowledge/signals.tsv, relation {relation!r}: bad pattern: {error}") from error
