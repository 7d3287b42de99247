"""The composite GitHub Action (action.yml), replayed step by step on a fixture repository.

The replay reads action.yml itself: every `run:` step is executed as the runner executes it
(`bash --noprofile --norc -eo pipefail`, with its `env:` and the runner's GITHUB_* files), and
the two `uses:` steps have stand-ins: setup-python is a fresh virtualenv, upload-artifact copies
the file it is given. So a change to the action's scripts is tested as written.

Installing kg is a real, non-editable `pip install` of this checkout into that virtualenv (so kg's
shapes must come with the package); kg's dependencies are taken from the test environment through
a .pth file instead of being downloaded again, as a runner's pip cache would.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sysconfig
import venv
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "validate_fixtures"
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
PERSON_SHAPE = "https://kg.example.org/def/shapes#PersonShape"


@dataclass
class Run:
    """What a replay left: each step's conclusion, the log, the artifacts and the job summary."""

    conclusions: dict[str, str] = field(default_factory=dict)
    log: str = ""
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)
    artifacts: Path | None = None
    summary: str = ""

    @property
    def failed(self) -> bool:
        return "failure" in self.conclusions.values()


class Runner:
    """Replays action.yml's steps in a workspace, as a GitHub runner would run the composite action."""

    def __init__(self, python_env: Path, temp: Path):
        self.python_env = python_env
        self.temp = temp
        self.workspace = temp

    def expression(self, text: str, inputs: dict[str, str], run: Run) -> str:
        def value(match: re.Match) -> str:
            expr = match.group(1)
            if expr.startswith("inputs."):
                return inputs[expr.removeprefix("inputs.")]
            step = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expr)
            if step:
                return run.outputs.get(step.group(1), {}).get(step.group(2), "")
            raise AssertionError(f"the replay does not know the expression {expr!r}")

        return EXPRESSION.sub(value, str(text))

    def should_run(self, step: dict, run: Run) -> bool:
        condition = EXPRESSION.sub(r"\1", str(step.get("if", "success()"))).strip()
        known = {"success()": not run.failed, "always()": True, "!cancelled()": True}
        assert condition in known, f"the replay does not know the condition {condition!r}"
        return known[condition]

    def replay(self, workspace: Path, given: dict[str, str], *, only: set[str] | None = None) -> Run:
        inputs = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
        unknown = set(given) - set(inputs)
        assert not unknown, f"action.yml has no inputs {unknown}"
        inputs.update(given)
        run = Run(artifacts=self.temp / "artifacts")
        self.workspace = workspace
        summary = self.temp / "step-summary.md"
        summary.write_text("", encoding="utf-8")
        for number, step in enumerate(ACTION["runs"]["steps"]):
            name = step.get("id", f"step{number}")
            if only is not None and name not in only:
                continue
            if not self.should_run(step, run):
                run.conclusions[name] = "skipped"
                continue
            if "uses" in step:
                ok = self.stand_in(step, inputs, run)
            else:
                ok = self.run_script(step, name, workspace, inputs, run, summary)
            run.conclusions[name] = "success" if ok else "failure"
        run.summary = summary.read_text(encoding="utf-8")
        return run

    def run_script(self, step: dict, name: str, workspace: Path, inputs: dict[str, str], run: Run,
                   summary: Path) -> bool:
        assert step["shell"] == "bash"
        script = self.temp / f"{name}.sh"
        script.write_text(self.expression(step["run"], inputs, run), encoding="utf-8")
        output_file = self.temp / f"{name}.output"
        output_file.write_text("", encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("KG_", "VIRTUAL_ENV", "PYTHON"))}
        env.update({
            "PATH": f"{self.python_env / 'bin'}{os.pathsep}{env['PATH']}",
            "CI": "true", "GITHUB_ACTIONS": "true",
            "GITHUB_ACTION_PATH": str(ROOT), "GITHUB_WORKSPACE": str(workspace), "RUNNER_TEMP": str(self.temp),
            "GITHUB_OUTPUT": str(output_file), "GITHUB_STEP_SUMMARY": str(summary),
        })
        env.update({k: self.expression(v, inputs, run) for k, v in step.get("env", {}).items()})
        done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=workspace,
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300)
        run.log += done.stdout
        lines = output_file.read_text(encoding="utf-8").splitlines()
        run.outputs[name] = dict(line.split("=", 1) for line in lines if "=" in line)
        return done.returncode == 0

    def stand_in(self, step: dict, inputs: dict[str, str], run: Run) -> bool:
        action, _, version = step["uses"].partition("@")
        given = {k: self.expression(v, inputs, run) for k, v in step.get("with", {}).items()}
        assert version, f"{action} is not pinned to a version"
        if action == "actions/setup-python":
            wanted = tuple(int(x) for x in given["python-version"].split("."))
            return wanted >= (3, 11) and (self.python_env / "bin" / "python").exists()
        if action == "actions/upload-artifact":
            source = self.workspace / given["path"]  # relative paths are from GITHUB_WORKSPACE
            if not source.is_file():
                run.log += f"upload-artifact: no file at {source}\n"
                return given.get("if-no-files-found") in ("warn", "ignore")
            target = run.artifacts / given["name"]
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, target / source.name)
            return True
        raise AssertionError(f"the replay has no stand-in for {action}")


@pytest.fixture(scope="module")
def runner(tmp_path_factory) -> Runner:
    """The setup-python stand-in and the action's own install step, done once for all replays."""
    home = tmp_path_factory.mktemp("runner")
    python_env = home / "python"
    venv.create(python_env)  # pip, like kg's dependencies, comes from the test environment
    site = Path(sysconfig.get_path("purelib", vars={"base": str(python_env), "platbase": str(python_env)}))
    (site / "test-environment.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    action_runner = Runner(python_env, home)
    installed = action_runner.replay(home, {}, only={"install"})
    assert installed.conclusions == {"install": "success"}, installed.log
    return action_runner


@pytest.fixture
def workspace(tmp_path, runner) -> Path:
    """A user's repository: one conforming file under data/, the user's own shapes and data apart."""
    repo = tmp_path / "repo"
    (repo / "data").mkdir(parents=True)
    shutil.copy(FIXTURES / "kg_conforming.ttl", repo / "data" / "people.ttl")
    shutil.copytree(FIXTURES / "own_shapes", repo / "shapes")
    shutil.copytree(FIXTURES / "own_data", repo / "library")
    runner.temp = tmp_path / "runner-temp"
    runner.temp.mkdir()
    return repo


def git_add(repo: Path) -> None:
    git = ["git", "-c", "user.name=test", "-c", "user.email=test@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "."], cwd=repo, check=True)


def failures(junit: Path) -> list[str]:
    suite = ET.parse(junit).getroot()  # noqa: S314 - kg's own output
    return [c.get("name") for c in suite.iter("testcase") if c.find("failure") is not None]


def steps_after_install(runner: Runner, repo: Path, inputs: dict[str, str]) -> Run:
    steps = {s.get("id", f"step{n}") for n, s in enumerate(ACTION["runs"]["steps"])} - {"install"}
    return runner.replay(repo, inputs, only=steps)


def test_the_installed_kg_is_not_the_checkout(runner):
    """The install step put a copy of kg in the runner's Python: kg's shapes must come with it."""
    python = runner.python_env / "bin" / "python"
    where = subprocess.run([python, "-c", "import kg; print(kg.__file__)"], capture_output=True, text=True,
                           check=True, cwd=runner.temp).stdout.strip()
    assert where.startswith(str(runner.python_env)), where


def test_kg_shapes_on_every_tracked_rdf_file_that_conforms(runner, workspace):
    (workspace / "shapes").rename(workspace / "their-shapes")  # kg's shapes: the user's would not conform
    shutil.rmtree(workspace / "library")
    git_add(workspace)
    run = steps_after_install(runner, workspace, {})
    assert not run.failed, run.log
    junit = Path(run.outputs["validate"]["junit"])
    assert junit.parent == runner.temp and failures(junit) == []
    assert PERSON_SHAPE in {c.get("name") for c in ET.parse(junit).getroot().iter("testcase")}  # noqa: S314
    assert (run.artifacts / "kg-validate-junit" / junit.name).is_file()
    assert "conforms" in run.log and "exit code 0" in run.summary


def test_a_violation_fails_the_job_and_the_junit_report_is_still_kept(runner, workspace):
    shutil.copy(FIXTURES / "kg_failing.ttl", workspace / "data" / "broken.ttl")
    run = steps_after_install(runner, workspace, {"files": "data/", "junit": "reports/shacl.xml",
                                                  "artifact-name": "shacl"})
    assert run.conclusions["validate"] == "failure" and run.failed
    assert run.conclusions["step3"] == "success"  # the upload step ran after the failure
    kept = run.artifacts / "shacl" / "shacl.xml"
    assert failures(kept) == [PERSON_SHAPE]
    assert "::error title=kg validate::validation failed (exit 1)" in run.log
    assert "https://kg.example.org/id/person/tovin-ashe" in run.log and "exit code 1" in run.summary


def test_own_shapes_and_fail_on(runner, workspace):
    """With `shapes`, the default file list leaves the shapes out; the author Warning fails only at fail-on: warning."""
    (workspace / "library" / "shelf.trig").write_text(
        (FIXTURES / "own_data" / "shelf.trig").read_text(encoding="utf-8").replace(
            "lib:writtenBy <http://library.example/author/anon>",
            'lib:title "Untitled" ; lib:writtenBy <http://library.example/author/anon>'),
        encoding="utf-8")
    (workspace / "data" / "people.ttl").unlink()
    git_add(workspace)
    passed = steps_after_install(runner, workspace, {"shapes": "shapes/"})
    assert not passed.failed, passed.log
    assert "### kg validate: 1 file(s), exit code 0" in passed.summary  # library/shelf.trig alone
    strict = steps_after_install(runner, workspace, {"shapes": "shapes/", "fail-on": "warning"})
    assert strict.conclusions["validate"] == "failure"
    assert "Warning: http://library.example/author/anon" in strict.log


def test_an_unreadable_file_fails_with_its_name(runner, workspace):
    (workspace / "data" / "bad.nt").write_text("<http://x/a> <http://x/b> .\n", encoding="utf-8")
    run = steps_after_install(runner, workspace, {"files": "data"})
    assert run.conclusions["validate"] == "failure"
    assert "data/bad.nt:1:" in run.log and "exit code 2" in run.summary


def test_no_rdf_file_to_validate_is_an_error(runner, workspace):
    for folder in ("data", "shapes", "library"):
        shutil.rmtree(workspace / folder)
    (workspace / "README.md").write_text("nothing to validate\n", encoding="utf-8")
    git_add(workspace)
    run = steps_after_install(runner, workspace, {})
    assert run.conclusions["validate"] == "failure"
    assert "no RDF files tracked here" in run.log
