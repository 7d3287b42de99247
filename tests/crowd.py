"""A made-up store of a thousand meetings, to see the meetings network at scale (tests, screenshots).

Written directly as RDF (no extraction, no real article): 420 people with names of invented
syllables, eight invented organizations, and 1,000 meetings from 2020 to 2024, most of them
between one of 24 busy hosts and one or two guests, which is the shape of the real data.
"""

from __future__ import annotations

import random

import pyoxigraph as ox

from kg.store import EmbeddedStore

PEOPLE, MEETINGS, HOSTS = 420, 1000, 24
SYLLABLES = ("ar", "ven", "tol", "mi", "sar", "do", "quel", "ri", "bas", "en", "lo", "tam")


def _made_up_name(rng) -> str:
    """A name of invented syllables (no real person), of varied length as names are."""
    def word(parts: int) -> str:
        return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()
    return f"{word(rng.randint(1, 2))} {word(rng.randint(2, 4))}"


def crowd_triples() -> list:
    """A thousand meetings between 420 made-up people, most of them with one of 24 hosts, 2020-2024.

    Written directly as RDF (no extraction), each person holding a post in one of eight organizations.
    """
    rng = random.Random(13)  # noqa: S311 - made-up test data, the same every run
    base, kg, schema, org = "https://kg.example.org/id/", "https://kg.example.org/def/kg#", "https://schema.org/", \
        "http://www.w3.org/ns/org#"
    a = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    people = [ox.NamedNode(f"{base}person/crowd-{i}") for i in range(PEOPLE)]
    orgs = [ox.NamedNode(f"{base}org/crowd-body-{i}") for i in range(8)]
    out = []
    for i, body in enumerate(orgs):
        out += [ox.Triple(body, a, ox.NamedNode(f"{org}Organization")),
                ox.Triple(body, ox.NamedNode(f"{schema}name"), ox.Literal(f"Invented Body {i}"))]
    for i, person in enumerate(people):
        holding = ox.NamedNode(f"{base}holding/crowd-{i}")
        out += [ox.Triple(person, a, ox.NamedNode(f"{schema}Person")),
                ox.Triple(person, ox.NamedNode(f"{schema}name"), ox.Literal(_made_up_name(rng))),
                ox.Triple(holding, a, ox.NamedNode(f"{kg}PostHolding")),
                ox.Triple(holding, ox.NamedNode(f"{org}member"), person),
                ox.Triple(holding, ox.NamedNode(f"{org}organization"), orgs[i % len(orgs)])]
    for i in range(MEETINGS):
        meeting = ox.NamedNode(f"{base}meeting/crowd-{i}")
        host = people[rng.randrange(HOSTS)]
        guests = rng.sample(people[HOSTS:], rng.choice((1, 1, 1, 2)))
        day = f"{2020 + i % 5}-{1 + rng.randrange(12):02d}-{1 + rng.randrange(28):02d}"
        out += [ox.Triple(meeting, a, ox.NamedNode(f"{kg}Meeting")),
                ox.Triple(meeting, ox.NamedNode(f"{schema}startDate"),
                          ox.Literal(day, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")))]
        out += [ox.Triple(meeting, ox.NamedNode(f"{kg}participant"), p) for p in (host, *guests)]
    return out




def crowd_store() -> EmbeddedStore:
    """An in-memory store holding the crowd in one named graph (and so in the default graph)."""
    store = EmbeddedStore.open(":memory:")
    store.replace_graph(ox.NamedNode("https://kg.example.org/graph/article/crowd"), crowd_triples())
    return store
