"""The README's two commands work from a clean clone: the honest proof of 'two commands'."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[1]
DEMO = "python3 dev.py demo"
TEST = "python3 dev.py test"


def test_readme_gives_the_two_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert DEMO in readme and TEST in readme
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert TEST in ci


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def clean_clone(tmp_path_factory) -> Path:
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: nothing to clone")
    target = tmp_path_factory.mktemp("clone") / "kg"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(target)], check=True, timeout=120)
    return target


def test_demo_command_serves_the_demo_articles_from_a_clean_clone(clean_clone):
    port = free_port()
    python = shutil.which("python3") or sys.executable
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KG_", "VIRTUAL_ENV"))}
    proc = subprocess.Popen(
        [python, "dev.py", "demo", "--port", str(port)], cwd=clean_clone, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    lines: list[str] = []
    try:
        deadline = time.monotonic() + 600
        url = None
        while time.monotonic() < deadline and url is None:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            found = re.search(r"kg serving on (http://\S+)", line)
            url = found.group(1) if found else None
        assert url == f"http://127.0.0.1:{port}/", "".join(lines)
        stored = sum("stored    " in line for line in lines)
        assert stored == len(list((clean_clone / "examples").glob("*.txt"))) > 0, "".join(lines)
        answer = requests.get(
            url + "sparql",
            params={"query": "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a <https://schema.org/Person> }"},
            headers={"Accept": "application/sparql-results+json"}, timeout=30,
        )
        assert answer.status_code == 200
        assert int(answer.json()["results"]["bindings"][0]["n"]["value"]) >= 3
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        proc.stdout.close()
