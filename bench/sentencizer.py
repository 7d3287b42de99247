"""kg's sentence splitter against spaCy's blank English pipeline with its rule-based sentencizer.

    python -m bench.sentencizer [--articles DIR] [--skip-prefix forums-] [--repeat 5] [--show]
                                [--gold GOLD.jsonl]

Reads every article in DIR as kg reads it (loader, tidy, paragraph units) and splits each unit
both ways: prints how many units and sentences each gives, the units where they differ (with
--show, the sentences only one of them produced, for judging by eye), and the median time of
splitting all units. With --gold, it also ingests the articles into a new store with each
splitter in turn and prints the shared scorer's table for each (../shared/tools/score_extraction.py),
so the effect on the extracted facts is seen, not only on the boundaries.

spaCy is not a dependency of kg: install it (`pip install spacy`) to run this; no model is
downloaded (`spacy.blank("en")` needs none).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

import kg.extract.sentences as sentences
from kg.config import load_settings
from kg.ingest import Ingestor
from kg.loaders import read_path
from kg.named import named_query
from kg.store import EmbeddedStore

QUERIES = ["people", "organizations", "positions", "ranks", "events", "participations", "meetings", "statements"]
SCORER = Path(__file__).resolve().parents[2] / "shared" / "tools" / "score_extraction.py"


def units(folder: Path, skip_prefix: str | None) -> list[str]:
    """The paragraph units kg's splitter receives for the articles in `folder`."""
    seen: list[str] = []
    own = sentences._split_paragraph

    def record(text: str) -> list[str]:
        seen.append(text)
        return own(text)

    sentences._split_paragraph = record
    try:
        for path in articles_in(folder, skip_prefix):
            for article in read_path(path):
                sentences.split_sentences(article)
    finally:
        sentences._split_paragraph = own
    return seen


def articles_in(folder: Path, skip_prefix: str | None) -> list[Path]:
    return [p for p in sorted(folder.glob("*.txt")) if not (skip_prefix and p.name.startswith(skip_prefix))]


def score_with(split: Callable[[str], list[str]], paths: list[Path], gold: Path) -> str:
    """Ingest `paths` with `split` as the sentence splitter and return the scorer's table."""
    own = sentences._split_paragraph
    sentences._split_paragraph = split
    try:
        with tempfile.TemporaryDirectory() as tmp:
            store = EmbeddedStore.open(f"{tmp}/store")
            ingestor = Ingestor(store, load_settings(store=f"{tmp}/store"))
            ingestor.ingest_paths(paths)
            for name in QUERIES:
                result = store.query(named_query(name).sparql)
                Path(tmp, f"{name}.csv").write_bytes(result.serialize(format=ox.QueryResultsFormat.CSV))
            store.close()
            done = subprocess.run(
                [sys.executable, str(SCORER), "--gold", str(gold), "--pred", tmp],
                capture_output=True,
                text=True,
                check=True,
            )
    finally:
        sentences._split_paragraph = own
    return done.stdout


def median_seconds(split, texts: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for text in texts:
            split(text)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=Path, default=Path("../shared/corpus/dev/articles"))
    parser.add_argument("--skip-prefix", default="forums-", help="leave out files whose name starts so")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--show", action="store_true", help="print the sentences only one splitter produced")
    parser.add_argument("--gold", type=Path, help="also score the extraction with each splitter against this gold")
    args = parser.parse_args()
    try:
        import spacy
    except ImportError:
        print("bench.sentencizer: spaCy is not installed (pip install spacy)", file=sys.stderr)
        return 2
    started = time.perf_counter()
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    load = time.perf_counter() - started

    def spacy_split(text: str) -> list[str]:
        return [s.text.strip() for s in nlp(text).sents if s.text.strip()]

    texts = units(args.articles, args.skip_prefix)
    ours = [sentences._split_paragraph(t) for t in texts]
    theirs = [spacy_split(t) for t in texts]
    differ = [(o, s) for o, s in zip(ours, theirs, strict=True) if o != s]
    print(f"units {len(texts)}; sentences: kg {sum(map(len, ours))}, spaCy {sum(map(len, theirs))}")
    print(f"units split differently: {len(differ)}")
    for o, s in differ if args.show else []:
        print("--")
        print("\n".join(f"  kg    | {x}" for x in o if x not in s))
        print("\n".join(f"  spaCy | {x}" for x in s if x not in o))
    ours_s = median_seconds(sentences._split_paragraph, texts, args.repeat)
    theirs_s = median_seconds(spacy_split, texts, args.repeat)
    print(f"median seconds to split all units ({args.repeat} runs): kg {ours_s:.4f}, spaCy {theirs_s:.4f}")
    print(f"spaCy: {load:.2f} s to import it and build the blank pipeline")
    if args.gold:
        paths = articles_in(args.articles, args.skip_prefix)
        for label, split in (("kg", sentences._split_paragraph), ("spaCy", spacy_split)):
            print(f"\nextraction scored with the {label} splitter:")
            print(score_with(split, paths, args.gold), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
