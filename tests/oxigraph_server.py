"""A real `oxigraph serve` process for tests, on a free loopback port and a temporary location.

The `oxigraph` package (test extra) ships the server binary. `running_oxigraph` starts one, waits
until it answers a query and stops it afterwards; the fixtures below share one per session, and
`remote_store` gives each test a `RemoteStore` over it, emptied first.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from kg.config import Settings, load_settings
from kg.store.remote import RemoteStore

STARTUP_SECONDS = 30.0


@dataclass(frozen=True)
class OxigraphServer:
    """A running server: `url` is its base (…/query, …/update, …/store answer under it)."""

    url: str
    log: Path

    def settings(self, **overrides: object) -> Settings:
        return load_settings(store=self.url, **overrides)

    def store(self, *, read_only: bool = False) -> RemoteStore:
        return RemoteStore.open(self.settings(), read_only=read_only)

    def clear(self) -> None:
        response = requests.post(f"{self.url}/update", data={"update": "DROP SILENT ALL"}, timeout=30)
        response.raise_for_status()


def oxigraph_binary() -> str | None:
    """The `oxigraph` executable beside this Python (the venv's), else on PATH."""
    return shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_answering(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"oxigraph serve exited with {process.returncode}: {log.read_text()}")
        try:
            if requests.get(f"{url}/query", params={"query": "ASK {}"}, timeout=2).ok:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"oxigraph serve did not answer at {url} within {STARTUP_SECONDS} s: {log.read_text()}")


@contextmanager
def running_oxigraph(location: Path, binary: str) -> Iterator[OxigraphServer]:
    """Run `oxigraph serve` on a free 127.0.0.1 port over `location`; stop it on exit."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = location.with_suffix(".log")
    command = [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
    with log.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT)
        try:
            _wait_until_answering(url, process, log)
            yield OxigraphServer(url=url, log=log)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def binary_or_skip() -> str:
    binary = oxigraph_binary()
    if binary is None:
        pytest.skip("the oxigraph server is not installed (pip install 'oxigraph>=0.5.13')")
    return binary


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    """One `oxigraph serve` process for the session; tests that write to it empty it first."""
    with running_oxigraph(tmp_path_factory.mktemp("oxigraph") / "store", binary_or_skip()) as server:
        yield server


@pytest.fixture
def remote_store(oxigraph_server: OxigraphServer) -> Iterator[RemoteStore]:
    """A `RemoteStore` over the session's server, emptied before the test."""
    oxigraph_server.clear()
    store = oxigraph_server.store()
    yield store
    store.close()
