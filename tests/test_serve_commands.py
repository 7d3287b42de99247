"""`kg serve` and `python server.py` start the real service (waitress) on a store; a second writer is told why not."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner

from kg.cli import cli

ROOT = Path(__file__).resolve().parents[1]
KG = [sys.executable, "-c", "from kg.cli import main; main()"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def ingested_store(tmp_path, corpus_articles) -> str:
    path = str(tmp_path / "store")
    result = CliRunner().invoke(cli, ["--store", path, "ingest", str(corpus_articles[0])])
    assert result.exit_code == 0, result.output
    return path


def start(command: list[str]) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    line = proc.stdout.readline()
    found = re.search(r"kg serving on (http://\S+)", line)
    if not found:
        proc.kill()
        proc.wait()
        proc.stdout.close()
        pytest.fail(f"no URL printed: {line!r}")
    return proc, found.group(1)


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    proc.wait(timeout=30)
    proc.stdout.close()


@pytest.mark.parametrize("launcher", ["kg serve", "python server.py"])
def test_server_command_serves_the_store(ingested_store, launcher):
    port = free_port()
    options = ["--host", "127.0.0.1", "--port", str(port), "--store", ingested_store]
    command = [*KG, "serve", *options] if launcher == "kg serve" else [sys.executable, "server.py", *options]
    proc, url = start(command)
    try:
        assert url == f"http://127.0.0.1:{port}/"
        answer = requests.get(url + "sparql", params={"query": "ASK { ?p a <https://schema.org/Person> }"},
                              headers={"Accept": "application/sparql-results+json"}, timeout=30)
        assert answer.status_code == 200 and answer.json()["boolean"] is True
        assert answer.headers["Server"] == "kg"  # waitress with its ident set, not a development server
    finally:
        stop(proc)


def test_ingest_into_a_store_a_server_holds_says_who_holds_it(ingested_store, corpus_articles):
    proc, _url = start([*KG, "serve", "--port", str(free_port()), "--store", ingested_store])
    try:
        done = subprocess.run([*KG, "--store", ingested_store, "ingest", str(corpus_articles[1])],
                              cwd=ROOT, capture_output=True, text=True, timeout=120)
    finally:
        stop(proc)
    assert done.returncode == 3, done.stderr
    assert "held for writing by another process" in done.stderr
    assert "Traceback" not in done.stderr


def test_read_only_query_beside_a_running_server_is_refused(ingested_store):
    """Reading a store another process writes is undefined in pyoxigraph: the CLI says so, exit 3."""
    proc, _url = start([*KG, "serve", "--port", str(free_port()), "--store", ingested_store])
    try:
        done = subprocess.run([*KG, "--store", ingested_store, "query", "--named", "people"],
                              cwd=ROOT, capture_output=True, text=True, timeout=120)
    finally:
        stop(proc)
    assert done.returncode == 3, done.stderr
    assert "held by another process" in done.stderr and "/sparql" in done.stderr
    assert "Traceback" not in done.stderr
    after = subprocess.run([*KG, "--store", ingested_store, "query", "--named", "people"],
                           cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert after.returncode == 0, after.stderr  # once the server has stopped, the same command reads
    assert after.stdout.startswith("person,name") and after.stdout.count("\n") > 1
