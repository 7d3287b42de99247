"""Read the extraction knowledge: word lists and tables kept as data files, not code.

The rules in `kg.extract` read the genre through these lists (titles, signal words, event
kinds, ...). They live in `kg/extract/knowledge/*.tsv` so that a user extends them without
touching Python: one row per entry, tab-separated columns named by the first row, `#` starts a
comment line, blank lines are skipped.
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources

__all__ = ["table", "words"]


@cache
def table(name: str) -> tuple[dict[str, str], ...]:
    """Rows of `knowledge/<name>.tsv` as dicts keyed by the header row."""
    source = resources.files("kg.extract").joinpath("knowledge", f"{name}.tsv")
    try:
        text = source.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise FileNotFoundError(f"extraction knowledge file {name}.tsv is missing") from error
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    return tuple({k: (v or "").strip() for k, v in row.items()} for row in reader)


@cache
def words(name: str, column: str | None = None) -> tuple[str, ...]:
    """One column of `knowledge/<name>.tsv` (the first by default), in file order."""
    rows = table(name)
    if not rows:
        return ()
    key = column or next(iter(rows[0]))
    return tuple(row[key] for row in rows if row.get(key))
