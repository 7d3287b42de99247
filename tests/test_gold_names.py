"""No person named in a gold file appears in the project's code, ontology or shapes.

The real articles (../shared/corpus) and their gold are for measuring, not for rules: a rule or
a word list that names a person of the corpus is fitted to it. This reads every person's name
(and every alias of two words or more, or with an initial: "A.Name") from the corpus gold
files at run time and looks for it, case-insensitively, in kg/, ontology/ and shapes/.
Single-word aliases (a bare surname) are not searched: a common surname can be an ordinary
word. Our own gold (tests/gold) names people we made up, so it is not searched for.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import CORPUS

ROOT = Path(__file__).resolve().parents[1]
GOLD_FILES = [CORPUS / "gold" / "articles.jsonl", CORPUS / "dev" / "gold.jsonl"]
SEARCHED = ["kg", "ontology", "shapes"]


def gold_names() -> set[str]:
    names: set[str] = set()
    for path in GOLD_FILES:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            for fact in json.loads(line)["facts"]:
                if fact["type"] == "person":
                    names |= {n for n in [fact["name"], *fact.get("aliases", [])] if len(n.split()) >= 2 or "." in n}
    return names


def project_text() -> dict[Path, str]:
    files = [p for folder in SEARCHED for p in (ROOT / folder).rglob("*") if p.is_file()]
    return {p: p.read_text(encoding="utf-8", errors="replace").lower() for p in files if p.suffix != ".pyc"}


def test_no_gold_person_is_named_in_the_project() -> None:
    missing = [p for p in GOLD_FILES if not p.is_file()]
    if missing:
        pytest.skip(f"the corpus gold is not here: {', '.join(map(str, missing))} absent")
    texts = project_text()
    found = sorted(
        (name, str(path.relative_to(ROOT)))
        for name in gold_names()
        for path, text in texts.items()
        if re.search(r"(?<!\w)" + re.escape(name.lower()) + r"(?!\w)", text)
    )
    assert not found, found


def test_the_search_finds_a_planted_name(tmp_path: Path) -> None:
    """The check can fail: a gold name written into a file is found."""
    if not GOLD_FILES[0].is_file():
        pytest.skip(f"the corpus gold is not here: {GOLD_FILES[0]} absent")
    name = sorted(gold_names())[0]
    text = f"# a rule that should not exist: {name}\n".lower()
    assert re.search(r"(?<!\w)" + re.escape(name.lower()) + r"(?!\w)", text)
