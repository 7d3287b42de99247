"""Extraction against the hand-made gold facts of the real corpus, plus the tricky rules alone.

The corpus lives outside the project (`../shared/corpus/`); the gold tests skip where it is
absent. Each gold test compares one fact type of one article both ways: every gold fact must be
found, and nothing may be extracted that the gold does not hold (precision matters more than
recall here: a wrong fact in the graph costs more than a missing one).
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from kg.extract import extract
from kg.extract.dates import find_dates
from kg.facts import Article, ArticleFacts
from kg.loaders import read_path

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
GOLD = CORPUS / "gold" / "articles.jsonl"
HONORIFICS = {"mr", "mrs", "ms", "dr", "h", "e", "madam", "sir"}
SPELLING = {"councelor": "counselor", "counsellor": "counselor", "councellor": "counselor"}
TYPES = ["person", "organization", "position", "rank", "event", "participation", "statement", "meeting"]
# Gold facts this extractor is known not to produce, and extractions the gold does not hold;
# each entry is (article id, fact type, the fact's key as `key()` writes it). Kept empty on purpose.
KNOWN_MISSES: set[tuple[str, str, str]] = set()
KNOWN_EXTRAS: set[tuple[str, str, str]] = set()


def fold(text: str | None) -> str:
    """Lower-case, strip accents, punctuation, honorifics and rank spelling variants."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    words = [SPELLING.get(w, w) for w in re.sub(r"[^\w\s]", " ", text).split()]
    while words and words[0] in HONORIFICS:
        words = words[1:]
    return " ".join(words)


def gold_records() -> list[dict]:
    if not GOLD.exists():
        return []
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


class Keys:
    """Reduce gold and extracted facts of one article to comparable keys."""

    def __init__(self, gold: list[dict], facts: ArticleFacts) -> None:
        self.facts = facts
        self.same: dict[str, str] = {}
        groups = [[o["name"], *o["aliases"]] for o in gold if o["type"] in ("person", "organization")]
        groups += [[p.name, *p.aliases] for p in facts.people]
        groups += [[o.name, *o.aliases] for o in facts.organizations]
        for group in groups:
            root = self.canon(group[0])
            for other in group[1:]:
                self.same[self.canon(other)] = root
        self.gold_events = [f for f in gold if f["type"] == "event"]

    def canon(self, name: str | None) -> str:
        key = fold(name)
        seen = set()
        while key in self.same and key not in seen:
            seen.add(key)
            key = self.same[key]
        return key

    def title(self, title: str) -> str:
        return " ".join("chief" if w == "head" else w for w in fold(title).split())

    def event_key(self, name: str, series: str | None, ordinal: int | None) -> str:
        if ordinal is not None and series:
            return f"{ordinal}|{self.series(series)}"
        return fold(re.sub(r"\([A-Z]+\)", "", name))

    def series(self, series: str) -> str:
        words = fold(re.sub(r"\([A-Z]+\)", "", series)).split()
        return " ".join(self.canon(w) if w.isalpha() and len(w) <= 6 else w for w in words)

    def gold_event(self, name: str) -> str:
        event = next((e for e in self.gold_events if e["name"] == name), None)
        return self.event_key(name, event["series"], event["ordinal"]) if event else fold(name)

    def our_event(self, key: str) -> str:
        event = next(e for e in self.facts.events if e.key == key)
        return self.event_key(event.name, event.series, event.ordinal)

    def gold_fact(self, fact: dict) -> set[str]:
        """All acceptable keys of one gold fact (an event field may list several names)."""
        events = fact.get("event") if isinstance(fact.get("event"), list) else [fact.get("event")]
        return {self._gold_one(fact, e) for e in events}

    def _gold_one(self, f: dict, event: str | None) -> str:
        kind = f["type"]
        if kind in ("person", "organization"):
            return self.canon(f["name"])
        if kind == "position":
            return f"{self.canon(f['person'])}|{self.title(f['title'])}|{self.canon(f['organization'])}"
        if kind == "rank":
            return f"{self.canon(f['person'])}|{fold(f['rank'])}"
        if kind == "event":
            return self.event_key(f["name"], f["series"], f["ordinal"])
        if kind == "participation":
            return f"{self.canon(f['person'])}|{self.gold_event(event)}|{f['role']}"
        if kind == "statement":
            return f"{self.canon(f['person'])}|{self.gold_event(event)}|{f['mode']}"
        people = sorted(self.canon(p) for p in f["participants"])
        return f"{people}|{self.gold_event(event) if event else None}"

    def ours(self, kind: str) -> list[str]:
        f = self.facts
        if kind == "person":
            return [self.canon(p.name) for p in f.people]
        if kind == "organization":
            return [self.canon(o.name) for o in f.organizations]
        if kind == "position":
            return [
                f"{self.canon(p.person)}|{self.title(p.title)}|{self.canon(p.organization)}"
                for p in f.positions
            ]
        if kind == "rank":
            return [f"{self.canon(r.person)}|{fold(r.rank)}" for r in f.ranks]
        if kind == "event":
            return [self.event_key(e.name, e.series, e.ordinal) for e in f.events]
        if kind == "participation":
            return [f"{self.canon(p.person)}|{self.our_event(p.event)}|{p.role}" for p in f.participations]
        if kind == "statement":
            return [f"{self.canon(s.person)}|{self.our_event(s.event)}|{s.mode}" for s in f.statements]
        return [
            f"{sorted(self.canon(p) for p in m.participants)}|{self.our_event(m.event) if m.event else None}"
            for m in f.meetings
        ]


CASES = [(r["id"], kind) for r in gold_records() for kind in TYPES]


@pytest.fixture(scope="module")
def extracted() -> dict[str, tuple[dict, ArticleFacts]]:
    if not GOLD.exists():
        pytest.skip(f"gold corpus not found at {CORPUS} (it lives outside the project)")
    out = {}
    for record in gold_records():
        article = read_path(CORPUS / "articles" / record["id"])[0]
        out[record["id"]] = (record, extract(article))
    return out


@pytest.mark.skipif(
    not GOLD.exists(), reason=f"gold corpus not found at {CORPUS} (it lives outside the project)"
)
@pytest.mark.parametrize(("article_id", "kind"), CASES or [("none", "person")])
def test_matches_gold(extracted: dict, article_id: str, kind: str) -> None:
    record, facts = extracted[article_id]
    gold = [f for f in record["facts"] if f["type"] == kind]
    keys = Keys(record["facts"], facts)
    ours = keys.ours(kind)
    missed = [g for g in gold if not keys.gold_fact(g) & set(ours)]
    missed = [
        g
        for g in missed
        if not keys.gold_fact(g) & {k for a, t, k in KNOWN_MISSES if (a, t) == (article_id, kind)}
    ]
    acceptable = set().union(*(keys.gold_fact(g) for g in gold)) if gold else set()
    extra = [k for k in ours if k not in acceptable and (article_id, kind, k) not in KNOWN_EXTRAS]
    assert not missed, f"{article_id} {kind}: missed {missed}\nextracted {ours}"
    assert not extra, f"{article_id} {kind}: not in gold {extra}\ngold {sorted(acceptable)}"


@pytest.mark.skipif(
    not GOLD.exists(), reason=f"gold corpus not found at {CORPUS} (it lives outside the project)"
)
def test_event_details_match_gold(extracted: dict) -> None:
    """Location, dates and organizers of every gold event whose ordinal or name we match."""
    for record, facts in extracted.values():
        keys = Keys(record["facts"], facts)
        for gold in keys.gold_events:
            ours = [
                e for e in facts.events if keys.event_key(e.name, e.series, e.ordinal) in keys.gold_fact(gold)
            ]
            assert ours, gold
            event = ours[0]
            assert (event.location, event.start, event.end) == (
                gold["location"],
                gold["start"],
                gold["end"],
            ), gold
            assert sorted(map(keys.canon, event.organizers)) == sorted(map(keys.canon, gold["organizers"])), (
                gold
            )


@pytest.mark.skipif(
    not GOLD.exists(), reason=f"gold corpus not found at {CORPUS} (it lives outside the project)"
)
def test_every_fact_has_evidence(extracted: dict) -> None:
    for _, facts in extracted.values():
        for group in (facts.positions, facts.ranks, facts.participations, facts.statements, facts.meetings):
            assert all(f.evidence for f in group)
        assert all(e.evidence for e in facts.events)


# Focused rules, on sentences written for these tests.


def facts_of(body: str, *, title: str | None = None, published: str | None = None) -> ArticleFacts:
    return extract(Article(text=body, title=title, published=published))


def test_role_phrase_and_pronoun_refer_to_the_post_holder() -> None:
    facts = facts_of(
        "Leyla Mammadova, Director of the National Border Agency, opened the 7th Caspian Border "
        "Conference.\n\nAddressing the conference, the Director of the Agency stressed cooperation. "
        "She also met with Mr. Ivo Petrov."
    )
    assert [p.name for p in facts.people] == ["Leyla Mammadova", "Ivo Petrov"]
    assert [(s.person, s.event) for s in facts.statements] == [("Leyla Mammadova", "e1")]
    assert [m.participants for m in facts.meetings] == [["Leyla Mammadova", "Ivo Petrov"]]


def test_initial_and_surname_forms_become_aliases() -> None:
    facts = facts_of(
        "Kamran Aliyev, Head of the State Customs Committee, noted progress. K.Aliyev said more. "
        "Aliyev thanked the hosts."
    )
    assert [(p.name, sorted(p.aliases)) for p in facts.people] == [("Kamran Aliyev", ["Aliyev", "K.Aliyev"])]


def test_places_and_organizations_are_not_people() -> None:
    facts = facts_of(
        "The Global Compact for Migration was discussed in New York with the Swiss Agency for "
        "Development and Cooperation and the World Migration Report team."
    )
    assert facts.people == []


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("The session will run till November 29.", None, "--11-29"),
        ("The forum will continue its work until December 15.", "2023-12-14", "2023-12-15"),
        ("The meeting will last until January 3.", "2023-12-20", "2024-01-03"),
        ("It was signed on 14 March 2021.", None, "2021-03-14"),
    ],
)
def test_dates_resolve_against_the_article_date(text: str, published: str | None, expected: str) -> None:
    assert find_dates(text, published)[0].begin == expected


def test_date_range_sets_event_start_and_end() -> None:
    facts = facts_of("The 4th Baku Migration Forum is held from 3 to 5 June in Baku.", published="2024-05-30")
    event = facts.events[0]
    assert (event.ordinal, event.start, event.end, event.location) == (4, "2024-06-03", "2024-06-05", "Baku")


@pytest.mark.parametrize(
    ("apposition", "rank"),
    [
        ("I rank state migration service councelor", "I rank state migration service councelor"),
        ("III class state adviser", "III class state adviser"),
        ("major general of migration service", "major general of migration service"),
    ],
)
def test_ranks_are_kept_as_written(apposition: str, rank: str) -> None:
    facts = facts_of(
        f"Orkhan Rzayev, Deputy Chief of the State Migration Service, {apposition}, attended the meeting."
    )
    assert [(r.person, r.rank) for r in facts.ranks] == [("Orkhan Rzayev", rank)]


def test_acronyms_join_their_long_names() -> None:
    facts = facts_of(
        "Experts of the International Centre for Migration Policy Development (ICMPD) visited the State "
        "Border Service. The SBS thanked ICMPD."
    )
    orgs = {o.name: o.aliases for o in facts.organizations}
    assert orgs == {
        "International Centre for Migration Policy Development": ["ICMPD"],
        "State Border Service": ["SBS"],
    }


def test_governing_body_of_a_session_is_a_series_not_an_organization() -> None:
    facts = facts_of(
        "The delegation led by Mr. Tural Ismayilov attended the 47th session of the Executive "
        "Committee of the Migration Policy Programme."
    )
    assert [(e.ordinal, e.series) for e in facts.events] == [
        (47, "Executive Committee of the Migration Policy Programme")
    ]
    assert all("Committee" not in o.name for o in facts.organizations)
    assert [(p.person, p.role) for p in facts.participations] == [("Tural Ismayilov", "head of delegation")]


def test_remarks_without_an_event_are_not_statements() -> None:
    facts = facts_of(
        "Mr. Anar Guliyev met with Ms. Sara Lind. Speaking about cooperation, Anar Guliyev said "
        "the sides made progress."
    )
    assert facts.statements == [] and facts.participations == []
    assert [m.participants for m in facts.meetings] == [["Anar Guliyev", "Sara Lind"]]


EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.mark.parametrize(
    ("name", "people", "fact"),
    [
        (
            "01_ambassador_reception.txt",
            {"Rashad Mammadli", "Henrik Dahl", "Kari Solberg"},
            lambda f: (
                [sorted(m.participants) for m in f.meetings]
                == [["Henrik Dahl", "Rashad Mammadli"], ["Kari Solberg", "Rashad Mammadli"]]
            ),
        ),
        (
            "02_executive_committee.txt",
            {"Ramil Najafov", "Ana Ferreira"},
            lambda f: (
                (f.events[0].ordinal, f.events[0].start, f.events[0].end) == (75, "2024-10-07", "2024-10-11")
            ),
        ),
        (
            "03_regional_conference.txt",
            {"Elnur Gasimov", "Tomas Berglund"},
            lambda f: (
                {(s.person, s.mode) for s in f.statements}
                == {("Elnur Gasimov", None), ("Tomas Berglund", "video")}
            ),
        ),
        (
            "04_iom_office_visit.txt",
            {"Rashad Mammadli", "Maria Lindqvist"},
            lambda f: (
                [(p.title, p.organization) for p in f.positions if p.person == "Maria Lindqvist"]
                == [("Chief of Mission", "International Organization for Migration")]
            ),
        ),
        (
            "05_video_message.txt",
            {"Farid Aliyev", "Hans Weber"},
            lambda f: (
                [(s.person, s.mode, len(f.events)) for s in f.statements] == [("Farid Aliyev", "video", 1)]
            ),
        ),
    ],
)
def test_demo_articles(name: str, people: set[str], fact) -> None:
    facts = extract(read_path(EXAMPLES / name)[0])
    assert {p.name for p in facts.people} == people
    assert fact(facts)
