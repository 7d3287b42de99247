"""The kg-validate pre-commit hook, used the way a user uses it: a throwaway git repository whose
.pre-commit-config.yaml names kg's repository, `pre-commit install`, then `git commit`: a commit of
a conforming file goes through (exit 0), a commit adding a failing one is stopped (exit 1) with
kg's report printed.

pre-commit installs kg from this checkout's HEAD into a fresh virtualenv: a real, non-editable
pip install (so kg's shapes must come with the package). That install takes most of a minute on
a busy two-core machine, and pre-commit reuses it for the second commit; `pre-commit try-repo`
would build a new environment for every run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "validate_fixtures"
PRE_COMMIT = [sys.executable, "-m", "pre_commit"]
GIT = ["git", "-c", "user.name=test", "-c", "user.email=test@example.org"]


def test_the_hooks_manifest_is_valid():
    done = subprocess.run([*PRE_COMMIT, "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="module")
def commits(tmp_path_factory) -> dict[str, subprocess.CompletedProcess]:
    """Two commits in a user's repository with the hook installed: a conforming file, then a failing one."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: pre-commit needs kg as a git repository")
    rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    repo = tmp_path_factory.mktemp("user-repo")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KG_", "PRE_COMMIT", "GIT_"))}
    env["PRE_COMMIT_HOME"] = str(tmp_path_factory.mktemp("pre-commit-home"))
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {ROOT}\n    rev: {rev.strip()}\n    hooks:\n      - id: kg-validate\n", encoding="utf-8")
    shutil.copy(FIXTURES / "kg_conforming.ttl", repo / "people.ttl")
    (repo / "README.md").write_text("not RDF: the hook leaves it alone\n", encoding="utf-8")

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(args, cwd=repo, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              timeout=300)

    assert run(*GIT, "init", "-q").returncode == 0
    installed = run(*PRE_COMMIT, "install")
    assert installed.returncode == 0, installed.stdout
    run(*GIT, "add", ".")
    done = {"conforming": run(*GIT, "commit", "-m", "people")}
    shutil.copy(FIXTURES / "kg_failing.ttl", repo / "broken.ttl")
    run(*GIT, "add", "broken.ttl")
    done["failing"] = run(*GIT, "commit", "-m", "broken")
    done["log"] = run("git", "log", "--format=%s")
    return done


def test_a_conforming_file_is_committed(commits):
    run = commits["conforming"]
    assert run.returncode == 0, run.stdout
    assert "kg validate (SHACL)" in run.stdout and "Passed" in run.stdout


def test_a_failing_file_stops_the_commit_and_the_report_is_printed(commits):
    run = commits["failing"]
    assert run.returncode == 1, run.stdout
    assert "Failed" in run.stdout and "exit code: 1" in run.stdout
    assert "broken.ttl: does not conform: 1 result(s)" in run.stdout  # only the staged RDF file
    assert "https://kg.example.org/def/shapes#PersonShape" in run.stdout
    assert "https://kg.example.org/id/person/tovin-ashe" in run.stdout
    assert commits["log"].stdout.split() == ["people"]  # the failing commit was not made
