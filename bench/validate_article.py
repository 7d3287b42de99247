"""Per-article validation at ingest: pySHACL against the compiled shapes, as the store grows.

Run:  .venv/bin/python -m bench.validate_article [--sizes 10000 100000 1000000] [--articles 30]

Synthetic article graphs are built with kg.build from varied ArticleFacts, copied (under new
article ids) into an in-memory store until it holds the wanted number of quads (each article in
its named graph and in the default graph, as kg keeps them). Then fresh articles are validated
as `validate_article_graph` does: the context graph (the article plus what the shapes read about
the nodes it links to, one store query) with the article's own subjects as focus nodes. Prints
medians in milliseconds as a markdown table.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import UTC, datetime

import pyoxigraph as ox
from rdflib import URIRef

from kg import facts
from kg.build import build_article
from kg.config import load_settings
from kg.ingest import Ingestor
from kg.store import EmbeddedStore
from kg.validation.shacl import compiled_shapes, context_for, validate_graph

FIRST = ["Anna", "Bilal", "Chen", "Dana", "Emil", "Farah", "Goran", "Hana", "Ivan", "Jamila", "Karim", "Lena"]
LAST = ["Aliyev", "Berg", "Costa", "Dupont", "Eriksen", "Fischer", "Garcia", "Haddad", "Ivanova", "Jensen"]
ORGS = ["State Migration Service", "Ministry of Foreign Affairs", "International Organization for Migration",
        "Civil Registry Service", "Ministry of Labour", "Border Guard Service"]
COUNTRIES = ["Azerbaijan", "Georgia", "Turkiye", "Norway", "France", "Kenya"]
ROLES = ["head of delegation", "speaker", "participant", "member of delegation"]


def synthetic_facts(i: int) -> facts.ArticleFacts:
    """A varied, plausible article's facts (people, posts, an event, participations, a meeting)."""
    rnd = random.Random(i)  # noqa: S311 - varied test data, not secrets
    people = [f"{rnd.choice(FIRST)} {rnd.choice(LAST)}" for _ in range(rnd.randint(2, 5))]
    people = list(dict.fromkeys(people)) + ([f"Extra Person{chr(97 + i % 26)}"] if len(set(people)) < 2 else [])
    org = rnd.choice(ORGS)
    day = f"20{rnd.randint(10, 24)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
    series = f"Council of the {rnd.choice(ORGS)}"
    event = facts.Event(key="e1", name=f"{rnd.randint(90, 120)}th session of the {series}", series=series,
                        ordinal=rnd.randint(90, 120), kind="session", location="Geneva", start=day,
                        organizers=[org], evidence="The session opened.")
    article = facts.Article(text=f"Synthetic article {i}. " + " ".join(people), title=f"Synthetic article {i}",
                            published=day, url=f"https://news.example.org/{i}", source=f"synthetic-{i}")
    return facts.ArticleFacts(
        article=article,
        people=[facts.Person(p) for p in people],
        organizations=[facts.Organization(org, country=rnd.choice(COUNTRIES))],
        positions=[facts.Position(p, rnd.choice(["Chief", "Deputy Chief", "Adviser"]), org, "He is chief.")
                   for p in people[:2]],
        events=[event],
        participations=[facts.Participation(p, "e1", rnd.choice(ROLES), "They took part.") for p in people],
        statements=[facts.Statement(people[0], "e1", None, [], "She spoke.")],
        meetings=[facts.Meeting(people[:2], day, "Geneva", "e1", [], "They met.")] if len(people) > 1 else [],
    )


def build(ingestor: Ingestor, i: int):
    return build_article(synthetic_facts(i), ingestor.ref, ingestor.minter, now=datetime(2024, 1, 1, tzinfo=UTC))


def fill(store: EmbeddedStore, ingestor: Ingestor, quads: int, templates: int = 200) -> int:
    """Build up to `templates` articles, then copy them under new ids, until the store holds `quads` quads."""
    lines, inner, copy = [], store.inner, 0
    while len(inner) < quads:
        if len(lines) < templates:
            built = build(ingestor, len(lines))
            aid = str(built.article).rsplit("/", 1)[-1]
            nt = built.graph.serialize(format="nt", encoding="utf-8").decode()
            lines.append((aid, str(built.graph_iri), [line[:-2] for line in nt.splitlines() if line.strip()]))
            todo = lines[-1:]
        else:
            todo = lines
        batch = []
        for aid, graph, triples in todo:
            new = f"{copy:08x}{aid[8:]}"
            g = graph.replace(aid, new)
            for t in triples:
                t = t.replace(aid, new)
                batch.append(f"{t} <{g}> .\n{t} .\n")
            copy += 1
        inner.bulk_load("".join(batch).encode(), format=ox.RdfFormat.N_QUADS)
    return len(inner)


def measure(ingestor: Ingestor, n: int) -> dict[str, float]:
    """Median milliseconds per fresh article: context query, pySHACL, compiled, and the gate (context + compiled)."""
    compiled = compiled_shapes(ingestor.shapes)
    times: dict[str, list[float]] = {"context": [], "pyshacl": [], "compiled": [], "gate": []}
    for i in range(100_000, 100_000 + n):
        graph = build(ingestor, i).graph
        focus = [s for s in set(graph.subjects()) if isinstance(s, URIRef)]
        t0 = time.perf_counter()
        data = context_for(graph, ingestor.ref, ingestor.store)
        t1 = time.perf_counter()
        expected = validate_graph(data, ingestor.shapes, focus_nodes=focus)
        t2 = time.perf_counter()
        got = compiled.validate_graph(data, focus_nodes=focus)
        t3 = time.perf_counter()
        assert got is not None and sorted(map(repr, got.findings)) == sorted(map(repr, expected.findings))
        times["context"].append(t1 - t0)
        times["pyshacl"].append(t2 - t1)
        times["compiled"].append(t3 - t2)
        times["gate"].append(t1 - t0 + t3 - t2)
    return {k: statistics.median(v) * 1000 for k, v in times.items()}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--articles", type=int, default=30)
    args = parser.parse_args(argv)
    print("| store quads | context query | pySHACL | compiled | gate (context + compiled) | speed-up |")
    print("| --- | --- | --- | --- | --- | --- |")
    for size in args.sizes:
        store = EmbeddedStore.open(":memory:")
        ingestor = Ingestor(store, load_settings(store=":memory:"))
        ingestor.ensure_reference()
        held = fill(store, ingestor, size)
        m = measure(ingestor, args.articles)
        print(f"| {held:,} | {m['context']:.2f} ms | {m['pyshacl']:.1f} ms | {m['compiled']:.2f} ms "
              f"| {m['gate']:.2f} ms | {m['pyshacl'] / m['compiled']:.0f}x |", flush=True)
        store.close()


if __name__ == "__main__":
    main()
