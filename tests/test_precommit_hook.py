"""The kg-validate pre-commit hook, run the way a user tries it: `pre-commit try-repo` on a
throwaway git repository holding one conforming and one failing RDF file.

pre-commit installs kg from this checkout into a fresh virtualenv (a real, non-editable pip
install, so kg's shapes must come with the package). Each `try-repo` builds its own environment,
which takes most of a minute on a busy two-core machine; the two runs go side by side so that the
test costs one install's time, not two.
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


@pytest.fixture(scope="module")
def user_repo(tmp_path_factory) -> Path:
    """A user's repository with one file that conforms to kg's shapes and one that does not."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: pre-commit needs kg as a git repository")
    repo = tmp_path_factory.mktemp("user-repo")
    shutil.copy(FIXTURES / "kg_conforming.ttl", repo / "people.ttl")
    shutil.copy(FIXTURES / "kg_failing.ttl", repo / "broken.ttl")
    (repo / "README.md").write_text("not RDF: the hook leaves it alone\n", encoding="utf-8")
    git = ["git", "-c", "user.name=test", "-c", "user.email=test@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "."], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "data"], cwd=repo, check=True)
    return repo


@pytest.fixture(scope="module")
def try_repo_runs(user_repo: Path) -> dict[str, subprocess.CompletedProcess]:
    """`pre-commit try-repo KG kg-validate --files ...` on the conforming file alone and on both."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KG_", "PRE_COMMIT"))}
    runs = {
        "conforming": ["people.ttl", "README.md"],
        "both": ["people.ttl", "broken.ttl", "README.md"],
    }
    procs = {
        name: subprocess.Popen(
            [*PRE_COMMIT, "try-repo", str(ROOT), "kg-validate", "--verbose", "--files", *files],
            cwd=user_repo, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        for name, files in runs.items()
    }
    done = {}
    try:
        for name, proc in procs.items():
            out, _ = proc.communicate(timeout=300)
            done[name] = subprocess.CompletedProcess(proc.args, proc.returncode, out)
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
    return done


def test_hook_passes_on_a_conforming_file(try_repo_runs):
    run = try_repo_runs["conforming"]
    assert run.returncode == 0, run.stdout
    assert "kg validate (SHACL)" in run.stdout and "Passed" in run.stdout
    assert "people.ttl: conforms" in run.stdout  # --verbose shows kg's own report


def test_hook_fails_on_a_failing_file_and_prints_the_report(try_repo_runs):
    run = try_repo_runs["both"]
    assert run.returncode == 1, run.stdout
    assert "Failed" in run.stdout and "exit code: 1" in run.stdout
    assert "does not conform: 1 result(s)" in run.stdout
    assert "https://kg.example.org/def/shapes#PersonShape" in run.stdout
    assert "https://kg.example.org/id/person/tovin-ashe" in run.stdout
    assert "README.md" not in run.stdout.split("does not conform")[0]  # only RDF files were passed
