"""Shared fixtures. Each is named for what it gives; add new ones below under their own names."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from oxigraph_server import binary_or_skip, oxigraph_server, remote_store, running_oxigraph  # noqa: F401
from waitress import wasyncore

from kg.config import load_settings
from kg.sparql.runners import ProcessRunner
from kg.store import EmbeddedStore, Store, open_store
from kg.web import create_app
from kg.web.serve import make_server, url_of
from kg.web.services import close_services, services_of

# --- live_server: the web app served by waitress on a free loopback port ---------------------

LIVE_EX = "http://example.org/"
LIVE_ARTICLE_1 = f"{LIVE_EX}article/1"
LIVE_ARTICLE_2 = f"{LIVE_EX}article/2"
_LIVE_ARTICLES = {
    LIVE_ARTICLE_1: f"""
        <{LIVE_EX}alice> a <https://schema.org/Person> ;
            <https://schema.org/name> "Alice Martin" ;
            <https://schema.org/memberOf> <{LIVE_EX}council> .
    """,
    LIVE_ARTICLE_2: f"""
        <{LIVE_EX}bob> a <https://schema.org/Person> ;
            <https://schema.org/name> "Bob Dupont" .
    """,
}
_LIVE_REFERENCE = f"""
    <{LIVE_EX}council> a <https://schema.org/Organization> ;
        <https://schema.org/name> "City Council"@en .
"""


@dataclass(frozen=True)
class LiveServer:
    """A running server: `url` ends with '/', `store` is the store it serves."""

    url: str
    store: Store
    backend: str = "embedded"  # or "oxigraph-server": the app over a RemoteStore

    @property
    def sparql(self) -> str:
        return f"{self.url}sparql"


def _live_store(store: Store | None = None) -> Store:
    """Two article graphs (merged into the default graph) plus reference data; in memory by default."""
    store = store if store is not None else EmbeddedStore.open(":memory:")
    for graph, turtle in _LIVE_ARTICLES.items():
        triples = [q.triple for q in ox.parse(turtle.encode(), format=ox.RdfFormat.TURTLE)]
        store.replace_graph(ox.NamedNode(graph), triples)
    store.update(f"INSERT DATA {{ {_LIVE_REFERENCE} }}")
    return store


LIVE_BACKENDS = ["embedded", "oxigraph-server"]


@pytest.fixture(scope="session", params=LIVE_BACKENDS)
def live_server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """Serve the app over `_live_store()` with waitress in a background thread, as in production.

    Once over the embedded store in memory, once over a RemoteStore on its own `oxigraph serve`.
    """
    with ExitStack() as stack:
        settings = load_settings(store=":memory:")
        if request.param == "oxigraph-server":
            location = tmp_path_factory.mktemp("live-oxigraph") / "store"
            settings = stack.enter_context(running_oxigraph(location, binary_or_skip())).settings()
        store = _live_store(open_store(settings))
        stack.callback(store.close)
        app = create_app(settings, store=store)
        server = make_server(app, host="127.0.0.1", port=0, threads=4)
        thread = threading.Thread(target=server.run, name="live_server", daemon=True)
        thread.start()
        try:
            yield LiveServer(url=url_of(server, "127.0.0.1"), store=store, backend=request.param)
        finally:
            _stop_live(server, thread)


def _stop_live(server, thread: threading.Thread) -> None:
    """Let the worker threads finish, then close waitress's sockets from its own loop thread.

    Closing them from here races the loop's select and fails with EBADF now and then.
    """
    server.task_dispatcher.shutdown()
    server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map, ignore_all=True))
    thread.join(timeout=5)


# --- corpus: the real articles in ../shared/corpus, read at test time -------------------------
#
# A user's clone has no ../shared: the suite tests every capability on our own articles
# (tests/articles), and the checks that need the real articles (their facts and scores) form
# the `corpus` group. Tests that use `corpus_articles` or `corpus_gold`, or are marked
# `@pytest.mark.corpus`, are in it; where ../shared/corpus is absent they skip, and the end of
# the run says so in its own section, not only under -rs. `-m corpus` runs just the group.

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
OWN_ARTICLES = sorted((Path(__file__).resolve().parent / "articles").glob("a*"))  # ours: text, HTML, JSON Lines
CORPUS_FIXTURES = {"corpus_articles", "corpus_gold"}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "corpus: needs the real articles in ../shared/corpus (skips without them)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if CORPUS_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.corpus)
        if item.get_closest_marker("corpus") is not None and not CORPUS.is_dir():
            item.add_marker(pytest.mark.skip(reason=f"corpus group: {CORPUS} is absent"))


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    """A visible notice when the corpus group did not run, with how many tests it holds."""
    skipped = [r for r in terminalreporter.stats.get("skipped", [])
               if "corpus" in getattr(r, "keywords", {}) or str(CORPUS.parent) in str(r.longrepr)]
    if not skipped:
        return
    terminalreporter.write_sep("=", "NOTICE: corpus group not run", yellow=True, bold=True)
    terminalreporter.write_line(
        f"{len(skipped)} test(s) of the corpus group were skipped: they check facts and scores on the real "
        f"articles, read from {CORPUS}, which is absent here. Every capability is also tested on our "
        "own articles in tests/articles; put the corpus at ../shared/corpus to run the group (-m corpus)."
    )


@pytest.fixture(scope="session")
def own_articles() -> list[Path]:
    """Our own thirteen articles (tests/articles/a*), written for the tests: always here."""
    return OWN_ARTICLES


@pytest.fixture(scope="session")
def corpus_articles() -> list:
    """Paths of the real articles; skips where ../shared/corpus is absent (they are not ours to ship)."""
    folder = CORPUS / "articles"
    if not folder.is_dir():
        pytest.skip(f"the real articles are not here: {folder} is absent")
    return sorted(folder.glob("*.txt"))


@pytest.fixture(scope="session")
def corpus_gold() -> list:
    """The gold facts for the real articles, one dict per article."""
    path = CORPUS / "gold" / "articles.jsonl"
    if not path.is_file():
        pytest.skip(f"the gold facts are not here: {path} is absent")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# --- memory_ingestor: an in-memory store with the reference data, and the ingest pipeline ----


@pytest.fixture
def memory_ingestor():
    """An Ingestor over a fresh in-memory store that already holds the ontology and reference data."""
    from kg.ingest import Ingestor

    store = EmbeddedStore.open(":memory:")
    ingestor = Ingestor(store, load_settings(store=":memory:"))
    ingestor.ensure_reference()
    return ingestor


# --- linked_server: linked data over two small article graphs minted under base_iri ---------

LD_BASE = "https://kg.example.org/"
LD_ALICE = f"{LD_BASE}id/person/alice-martin"
LD_COUNCIL = f"{LD_BASE}id/org/city-council"
LD_GRAPH_1 = f"{LD_BASE}graph/article/0000000000000001"
LD_GRAPH_2 = f"{LD_BASE}graph/article/0000000000000002"
LD_ARTICLE_1 = f"{LD_BASE}id/article/0000000000000001"
LD_ARTICLE_2 = f"{LD_BASE}id/article/0000000000000002"
_LD_PREFIXES = """
    @prefix schema: <https://schema.org/> . @prefix org: <http://www.w3.org/ns/org#> .
    @prefix prov: <http://www.w3.org/ns/prov#> . @prefix kg: <https://kg.example.org/def/kg#> .
    @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def ld_article_turtle(n: int, headline: str, day: str, facts: str) -> str:
    """One article graph as the loader writes it: the article, the graph's provenance, the facts."""
    article, graph = f"{LD_BASE}id/article/{n:016d}", f"{LD_BASE}graph/article/{n:016d}"
    return f"""{_LD_PREFIXES}
    <{article}> a schema:NewsArticle, prov:Entity ; schema:headline "{headline}" ;
        schema:datePublished "{day}"^^xsd:date .
    <{graph}> a kg:ArticleGraph ; prov:wasDerivedFrom <{article}> ;
        prov:generatedAtTime "{day}T12:00:00Z"^^xsd:dateTime .
    {facts}
    """


LD_ARTICLES = {
    LD_GRAPH_1: ld_article_turtle(
        1,
        "Alice Martin elected chair of the City Council",
        "2024-03-01",
        f"""<{LD_ALICE}> a schema:Person ; schema:name "Alice Martin" ; schema:memberOf <{LD_COUNCIL}> .
        <{LD_COUNCIL}> a org:Organization ; schema:name "City Council"@en .
        <{LD_ARTICLE_1}> schema:mentions <{LD_ALICE}>, <{LD_COUNCIL}> .""",
    ),
    LD_GRAPH_2: ld_article_turtle(
        2,
        "Council meets <b>tonight</b> & votes",
        "2024-03-05",
        f"""<{LD_ALICE}> a schema:Person ; schema:name "Alice Martin" .
        <{LD_ARTICLE_2}> schema:mentions <{LD_ALICE}> .""",
    ),
}


def ld_store() -> Store:
    """An in-memory store holding the two article graphs (and so their merge as default graph)."""
    store = EmbeddedStore.open(":memory:")
    for graph, turtle in LD_ARTICLES.items():
        triples = [q.triple for q in ox.parse(turtle.encode(), format=ox.RdfFormat.TURTLE)]
        store.replace_graph(ox.NamedNode(graph), triples)
    return store


class serving:  # noqa: N801 - used as a context manager, like open()
    """Serve the app over `store` with waitress on a free loopback port while the `with` block runs."""

    def __init__(self, store: Store, **settings: object) -> None:
        app = create_app(load_settings(store=":memory:", **settings), store=store)
        self.app, self.store = app, store
        self.server = make_server(app, host="127.0.0.1", port=0, threads=4)
        self.thread = threading.Thread(target=self.server.run, name="serving", daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        return LiveServer(url=url_of(self.server, "127.0.0.1"), store=self.store)

    def __exit__(self, *exc: object) -> None:
        _stop_live(self.server, self.thread)
        close_services(self.app)  # query workers and checkpoints go with the server


@pytest.fixture(scope="session")
def linked_server() -> Iterator[LiveServer]:
    """The app over `ld_store()`, read-only use: IRIs are https://kg.example.org/..., the URL is loopback."""
    with serving(ld_store()) as server:
        yield server


@pytest.fixture
def fresh_linked_server() -> Iterator[LiveServer]:
    """Like `linked_server`, but a store of its own that the test may change."""
    with serving(ld_store()) as server:
        yield server


# --- write_server: a fresh in-memory store with the reference data; writes enabled by a token --

WRITE_TOKEN = "test-write-token"  # noqa: S105 - a test fixture's token
UPDATE_HEADERS = {"Authorization": f"Bearer {WRITE_TOKEN}", "Content-Type": "application/sparql-update"}
VALUE = "http://example.org/p"


def filled_store(path: Path, n: int) -> EmbeddedStore:
    """An on-disk store whose graph <http://example.org/g> holds n subjects, each with one VALUE."""
    store = EmbeddedStore.open(path)
    triples = [ox.Triple(ox.NamedNode(f"http://example.org/s/{i}"), ox.NamedNode(VALUE), ox.Literal(str(i)))
               for i in range(n)]
    store.replace_graph(ox.NamedNode("http://example.org/g"), triples)
    return store


@contextmanager
def served_on_disk(path: Path, n: int, *, query_timeout: float) -> Iterator[tuple[serving, LiveServer]]:
    """`filled_store` served with writes enabled (WRITE_TOKEN) and two query workers; closed after."""
    store = filled_store(path, n)
    server = serving(store, query_timeout=query_timeout, write_token=WRITE_TOKEN, threads=2)
    with server as live:
        yield server, live
    store.close()


def process_runner_of(server: serving) -> ProcessRunner:
    """The served app's query runner, which for an on-disk store is a pool of worker processes."""
    runner = services_of(server.app).runner
    assert isinstance(runner, ProcessRunner)
    return runner


@pytest.fixture
def write_server() -> Iterator[LiveServer]:
    """The app over a fresh in-memory store holding the ontology and reference data, `WRITE_TOKEN` set."""
    from kg.ingest import Ingestor

    store = EmbeddedStore.open(":memory:")
    Ingestor(store, load_settings(store=":memory:")).ensure_reference()
    with serving(store, write_token=WRITE_TOKEN) as server:
        yield server


# --- processes: every process a test starts is stopped at teardown, pass or fail -------------


class Processes:
    """Starts processes for one test and stops all of them when it ends, whatever the outcome.

    Each runs in its own session (process group), so a child it starts (`dev.py demo` starts
    `kg serve`) is stopped too: SIGTERM to the process first, then SIGKILL to its whole group.
    """

    STOP_SECONDS = 15.0

    def __init__(self) -> None:
        self.started: list[subprocess.Popen] = []

    def start(self, command: list[str], **popen: object) -> subprocess.Popen:
        popen.setdefault("stdout", subprocess.PIPE)
        popen.setdefault("stderr", subprocess.STDOUT)
        popen.setdefault("text", True)
        process = subprocess.Popen(command, start_new_session=True, **popen)  # noqa: S603 - tests' own commands
        self.started.append(process)
        return process

    def serving_url(self, process: subprocess.Popen, *, seconds: float = 120.0) -> tuple[str, list[str]]:
        """Read the process's output until it prints 'kg serving on URL'; fail with what it printed."""
        lines: list[str] = []
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line)
            found = re.search(r"kg serving on (http://\S+)", line)
            if found:
                return found.group(1), lines
        pytest.fail("no 'kg serving on' line; it printed:\n" + "".join(lines))

    def stop(self, process: subprocess.Popen, sig: int = signal.SIGTERM) -> int:
        """Send `sig`, wait, then kill its group and descendants if anything is left; the exit status."""
        descendants = _descendants(process.pid)  # taken now: once it exits, its children are re-parented
        if process.poll() is None:
            process.send_signal(sig)
            try:
                process.wait(timeout=self.STOP_SECONDS)
            except subprocess.TimeoutExpired:
                pass
        with suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)  # leftovers of its group (children it started)
        for pid in descendants:  # a child in a process group of its own (dev.py demo's server)
            with suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        process.wait(timeout=self.STOP_SECONDS)
        for stream in (process.stdout, process.stderr, process.stdin):
            if stream is not None:
                stream.close()
        return process.returncode

    def stop_all(self) -> None:
        for process in reversed(self.started):
            self.stop(process)


def _descendants(pid: int) -> list[int]:
    """The pids of a process's children, their children, ... (Linux /proc; empty elsewhere)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        try:
            children = [int(p) for p in Path(f"/proc/{current}/task/{current}/children").read_text().split()]
        except OSError:
            continue
        found.extend(children)
        todo.extend(children)
    return found


@pytest.fixture
def processes() -> Iterator[Processes]:
    """Start processes with `processes.start([...])`; all are stopped when the test ends."""
    held = Processes()
    try:
        yield held
    finally:
        held.stop_all()


@pytest.fixture(scope="module")
def module_processes() -> Iterator[Processes]:
    """Like `processes`, for module-scoped fixtures: all are stopped when the module's tests end."""
    held = Processes()
    try:
        yield held
    finally:
        held.stop_all()


@contextmanager
def loopback_listener(backlog: int = 8) -> Iterator[socket.socket]:
    """A TCP socket listening on a free loopback port; a connection to it waits in its backlog."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(backlog)
    sock.setblocking(False)
    try:
        yield sock
    finally:
        sock.close()


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A loopback listener that a safe server must never contact (SERVICE, LOAD, remote datasets)."""
    with loopback_listener() as sock:
        yield sock


def never_contacted(sock: socket.socket) -> bool:
    """True when nobody has connected to the listener `sock`."""
    try:
        connection, _ = sock.accept()
    except BlockingIOError:
        return True
    connection.close()
    return False


def free_port() -> int:
    """A loopback port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
