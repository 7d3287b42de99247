"""Tag statements and meetings with topics from the reference topic scheme.

Each topic of the scheme lists the words that signal it (its SKOS hidden labels). A statement or
a meeting is about the topics signalled in the sentences that report it: its own sentence and
those after it, up to the next statement or meeting the article reports. A meeting recalled from
the past ("recalled the meeting ... held in Ankara last year") owns only its own sentence.
Names of events and bodies are masked first, so "Global Refugee Forum" does not signal refugees.
"""

from __future__ import annotations

import re
from functools import lru_cache

from kg.extract.sentences import Sentence

PAST = re.compile(r"\b(?:recalled|recalling|earlier|previous|previously|last\s+year|ago|in\s+(?:19|20)\d\d)\b")

Topics = dict[str, tuple[str, ...]]  # topic label -> the words that signal it, lower case


@lru_cache(maxsize=1)
def default_topics() -> Topics:
    """The topic scheme of the project's reference data (ontology/reference*.ttl)."""
    from rdflib.namespace import RDF, SKOS

    from kg.config import Settings
    from kg.namespaces import KG
    from kg.reference import load_reference

    settings = Settings()
    data = load_reference(settings.ontology_dir, settings.base_iri).data
    found: Topics = {}
    for topic in data.subjects(RDF.type, KG.Topic):
        label = data.value(topic, SKOS.prefLabel)
        if label is not None:
            words = {str(label).lower(), *(str(w).lower() for w in data.objects(topic, SKOS.hiddenLabel))}
            found[str(label)] = tuple(sorted(words, key=len, reverse=True))
    return dict(sorted(found.items()))


def signalled(texts: list[str], topics: Topics) -> list[str]:
    """The topics whose signal words occur in the texts, in the order they first occur.

    A capitalised occurrence inside a sentence ("Director General of Migration Management") is
    part of a name, not talk about the topic, and does not count.
    """
    text = "\n".join(texts)
    lowered, hits = text.lower(), []
    for label, words in topics.items():
        places = [
            m.start()
            for w in words
            if w in lowered  # most words are absent: skip their regex
            for m in _word(w).finditer(lowered)
            if not _in_name(text, m.start(), m.end())
        ]
        if places:
            hits.append((min(places), label))
    return [label for _, label in sorted(hits)]


@lru_cache(maxsize=4096)
def _word(word: str) -> re.Pattern:
    """The word on its own (not inside a longer word)."""
    return re.compile(rf"(?<!\w){re.escape(word)}(?!\w)")


def _in_name(text: str, start: int, end: int) -> bool:
    """Say whether the words at start:end are capitalised like a name, away from a sentence start."""
    at_start = start == 0 or text[start - 1] == "\n"
    return not at_start and bool(re.fullmatch(r"(?:[A-Z][a-z][\w'’]*[\s-]*)+", text[start:end]))


def scopes(anchors: list[int], sentences: list[Sentence]) -> dict[int, list[Sentence]]:
    """The sentences that report each anchor sentence's statement or meeting."""
    current = sorted({i for i in anchors if not PAST.search(sentences[i].text)})
    found = {}
    for i in anchors:
        if i not in current:
            found[i] = [sentences[i]]
            continue
        stop = next((j for j in current if j > i), len(sentences))
        found[i] = [s for s in sentences[i:stop] if s.index == i or s.index not in anchors]
    return found
