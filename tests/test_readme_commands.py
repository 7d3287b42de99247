"""The README's commands work from a clean clone, as written: the honest proof of 'two commands'.

One clone per module: `python3 dev.py demo` installs and serves there; the demo's store is the
one the `kg` command reads; stopping the demo (SIGINT or SIGTERM) stops its server too, so the
store is free again. Then every line of the README's `sh` blocks runs verbatim in the clone
(with `.venv/bin` on the PATH, as `. .venv/bin/activate` gives it); lines that read
`../shared` run where it exists and are reported as not run where it does not.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from conftest import CORPUS, Processes, free_port

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DEMO = "python3 dev.py demo"
TEST = "python3 dev.py test"
SETUP = (DEMO, TEST)  # the two set-up commands: the demo runs below; the test command is this suite


def test_readme_gives_the_two_commands_and_ci_runs_the_test_one():
    readme = README.read_text(encoding="utf-8")
    assert DEMO in readme and TEST in readme
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert TEST in ci


def readme_commands(text: str) -> list[str]:
    """Every command line of the README's ```sh blocks, continuation lines joined, comments kept."""
    commands: list[str] = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S):
        pending = ""
        for line in block.splitlines():
            if not line.strip():
                continue
            if line.rstrip().endswith("\\"):
                pending += line.rstrip()[:-1] + " "
                continue
            commands.append((pending + line.strip()).strip())
            pending = ""
    return commands


def test_readme_commands_are_found():
    commands = readme_commands(README.read_text(encoding="utf-8"))
    assert DEMO in " ".join(commands) and any(c.startswith("kg serve") for c in commands)
    assert all(not c.endswith("\\") for c in commands)


def clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("KG_", "VIRTUAL_ENV"))}


def children_of(pid: int) -> list[int]:
    """The pids of a process's children (Linux /proc)."""
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(") ", 1)[-1].startswith("Z"))


@dataclass
class DemoRun:
    clone: Path
    url: str
    output: list[str]
    positions_beside_it: requests.Response
    positions_after_it: subprocess.CompletedProcess
    server_pids: list[int]
    exit_code: int
    stopped_in: float


@pytest.fixture(scope="module")
def clean_clone(tmp_path_factory) -> Path:
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: nothing to clone")
    target = tmp_path_factory.mktemp("clone") / "kg"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(target)], check=True, timeout=120)
    if CORPUS.is_dir():  # the clone's ../shared, as a developer's checkout has it
        (target.parent / "shared").symlink_to(CORPUS.parent)
    return target


@pytest.fixture(scope="module")
def demo_run(clean_clone: Path, module_processes: Processes) -> DemoRun:
    """`python3 dev.py demo` in the clone until it serves; the printed query beside it; then SIGINT."""
    port = free_port()
    python = shutil.which("python3") or sys.executable
    demo = module_processes.start([python, "dev.py", "demo", "--port", str(port)], cwd=clean_clone, env=clean_env())
    url, lines = module_processes.serving_url(demo, seconds=600)
    printed = next(line for line in lines if "curl '" in line).split("'")[1]  # the demo says how to ask it
    beside = requests.get(printed, timeout=60)
    servers = children_of(demo.pid)
    answer = requests.get(url + "sparql", params={"query": "ASK { ?p a <https://schema.org/Person> }"},
                          headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert answer.status_code == 200 and answer.json()["boolean"] is True
    started = time.monotonic()
    demo.send_signal(signal.SIGINT)  # to dev.py alone, as `kill -INT` would: it must pass it on
    try:
        code = demo.wait(timeout=60)
    except subprocess.TimeoutExpired:
        code = None  # it did not stop: the fixture kills it (and its group), the tests below fail
        module_processes.stop(demo, signal.SIGKILL)
    stopped_in = time.monotonic() - started
    if not demo.stdout.closed:
        lines += demo.stdout.readlines()
    after = subprocess.run([".venv/bin/kg", "query", "--named", "positions", "--format", "csv"], cwd=clean_clone,
                           env=clean_env(), capture_output=True, text=True, timeout=120)
    return DemoRun(clean_clone, url, lines, beside, after, servers, code, stopped_in)


def test_the_demo_serves_the_demo_articles_from_a_clean_clone(demo_run):
    output = "".join(demo_run.output)
    stored = sum("stored    " in line for line in demo_run.output)
    assert stored == len(list((demo_run.clone / "examples").glob("*.txt"))) > 0, output
    assert "kg query --named positions --format csv" in output  # it says how to query what it serves


def test_the_demo_answers_the_query_it_prints(demo_run):
    answer = demo_run.positions_beside_it
    assert answer.status_code == 200, answer.text
    rows = answer.text.strip().splitlines()
    assert rows[0].startswith("person_name,title,organization_name")
    assert len(rows) > 3, answer.text  # not a bare header: the demo's people and posts


def test_the_cli_reads_the_store_the_demo_served(demo_run):
    done = demo_run.positions_after_it
    assert done.returncode == 0, done.stderr
    assert done.stdout == demo_run.positions_beside_it.text.replace("\r\n", "\n")  # the same store, the same rows


def test_stopping_the_demo_stops_its_server(demo_run):
    assert demo_run.server_pids, "the demo had no child process while serving"
    assert demo_run.exit_code == 0, "".join(demo_run.output)
    assert demo_run.stopped_in < 30
    assert not [pid for pid in demo_run.server_pids if alive(pid)]
    with pytest.raises(requests.ConnectionError):
        requests.get(demo_run.url, timeout=5)


def test_sigterm_to_the_demo_stops_its_server_and_a_second_demo_starts(demo_run, processes):
    port = free_port()
    python = shutil.which("python3") or sys.executable
    demo = processes.start([python, "dev.py", "demo", "--port", str(port)], cwd=demo_run.clone, env=clean_env())
    url, _lines = processes.serving_url(demo, seconds=300)  # the first demo left the store free
    servers = children_of(demo.pid)
    demo.send_signal(signal.SIGTERM)
    assert demo.wait(timeout=60) == 0
    assert servers and not [pid for pid in servers if alive(pid)]
    with pytest.raises(requests.ConnectionError):
        requests.get(url, timeout=5)


def test_every_readme_command_runs_verbatim(demo_run, processes):
    """After the demo: each line of the README's sh blocks, in order, in the clone (bash, venv active)."""
    clone = demo_run.clone
    env = {**clean_env(), "PATH": f"{clone / '.venv' / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
           "VIRTUAL_ENV": str(clone / ".venv")}
    ran, not_run = [], []
    for command in readme_commands((clone / "README.md").read_text(encoding="utf-8")):
        if command.split("#")[0].strip() in SETUP:
            continue
        if "../shared" in command and not (clone.parent / "shared").is_dir():
            not_run.append(command)
            continue
        if command.startswith("kg serve"):
            port = free_port()
            server = processes.start(["bash", "-c", command], cwd=clone, env={**env, "KG_PORT": str(port)})
            url, _lines = processes.serving_url(server, seconds=60)
            assert url == f"http://127.0.0.1:{port}/"
            assert requests.get(url + "queries/positions.csv", timeout=30).status_code == 200
            assert processes.stop(server, signal.SIGTERM) == 0  # as `kill` does; SIGINT may be ignored here
        else:
            done = subprocess.run(["bash", "-c", command], cwd=clone, env=env, capture_output=True, text=True,
                                  timeout=300)
            assert done.returncode == 0, f"{command}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
        ran.append(command)
    assert any(c.startswith("kg ingest") for c in ran) and any(c.startswith("kg serve") for c in ran)
    assert (clone / "dump.trig").stat().st_size > 0 and (clone / "docs" / "ontology.html").is_file()
    if not_run:
        print("README commands not run (no ../shared here):", *not_run, sep="\n  ")
