"""The built wheel works wherever it is installed: a fresh venv outside the checkout, offline.

The wheel is built from a copy of the working tree (no build isolation: the test venv's
setuptools), the dependencies come as wheels repacked from what this venv already has installed,
and pip installs with --no-index from those alone, so every dependency kg needs must be declared
in its metadata. Then kg ingest, validate, export --ontology and serve run from a folder that is
not the checkout. Every import in kg/ must also be a declared dependency (checked statically).
"""

from __future__ import annotations

import ast
import base64
import csv
import hashlib
import io
import os
import shutil
import subprocess
import sys
import tomllib
import venv
import zipfile
from importlib import metadata
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from conftest import free_port
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
SKIP_PARTS = {".venv", ".git", "data", "var", "build", "dist", "__pycache__", ".pytest_cache", ".ruff_cache"}
ARTICLE = """The Minister of Transport received the Ambassador of the Republic of Chile

On 3 June, Minister of Transport Oren Vasquez received Ms. Ilse Hartmann, Ambassador Extraordinary \
and Plenipotentiary of the Republic of Chile to the Republic of Azerbaijan.

The sides discussed cooperation in the field of rail transport.
"""


def offline_env() -> dict[str, str]:
    """The environment without pip's configured indexes or find-links: pip sees only what we give it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "KG_", "VIRTUAL_ENV"))}
    env["PIP_CONFIG_FILE"] = os.devnull
    env["PIP_NO_INDEX"] = "1"
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def copy_tree(target: Path) -> Path:
    """The working tree (committed or not) without venvs, stores, caches and build output."""
    def ignore(folder: str, names: list[str]) -> set[str]:
        return {n for n in names if n in SKIP_PARTS or n.endswith(".egg-info")}

    shutil.copytree(ROOT, target, ignore=ignore, symlinks=True)
    return target


def requirement_closure(names: list[str]) -> set[str]:
    """The installed distributions `names` need, recursively, with the extras they ask for."""
    seen: set[tuple[str, str]] = set()
    todo = [(canonicalize_name(n), "") for n in names]
    while todo:
        name, extra = todo.pop()
        if (name, extra) in seen:
            continue
        seen.add((name, extra))
        for line in metadata.distribution(name).requires or []:
            req = Requirement(line)
            if req.marker is None or req.marker.evaluate({"extra": extra}):
                todo.extend((canonicalize_name(req.name), e) for e in [""] + sorted(req.extras))
    return {name for name, _extra in seen}


def repack(name: str, into: Path) -> Path:
    """A wheel of an installed distribution, rebuilt from its RECORD (files outside site-packages left out)."""
    dist = metadata.distribution(name)
    site = Path(dist.locate_file(""))
    tags = [line.split(":", 1)[1].strip() for line in dist.read_text("WHEEL").splitlines() if line.startswith("Tag:")]
    info = next(p for p in dist.files if p.parent.name.endswith(".dist-info"))
    base = info.parent.name.removesuffix(".dist-info")
    parts = zip(*(tag.split("-") for tag in tags), strict=True)  # py2-none-any, py3-none-any: py2.py3-none-any
    wheel = into / f"{base}-{'-'.join('.'.join(dict.fromkeys(p)) for p in parts)}.whl"
    records = []
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry in dist.files:
            path = Path(dist.locate_file(entry))
            if entry.parts[0] == ".." or entry.suffix == ".pyc" or entry.name == "RECORD" or not path.is_file():
                continue
            data = path.read_bytes()
            archive.writestr(entry.as_posix(), data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            records.append([entry.as_posix(), f"sha256={digest}", str(len(data))])
        records.append([f"{info.parent.as_posix()}/RECORD", "", ""])
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(records)
        archive.writestr(f"{info.parent.as_posix()}/RECORD", out.getvalue())
    assert site.is_dir()
    return wheel


def declared_dependencies() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [Requirement(r).name for r in project["dependencies"]]


@pytest.fixture(scope="module")
def installed_wheel(tmp_path_factory) -> tuple[Path, dict[str, str], str]:
    """(bin folder of a fresh venv with the kg wheel installed, its environment, the install log)."""
    work = tmp_path_factory.mktemp("wheel")
    env = offline_env()
    source = copy_tree(work / "src")
    wheels = work / "wheels"
    wheels.mkdir()
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels),
         str(source)], cwd=work, env=env, capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stdout + built.stderr
    for name in requirement_closure(declared_dependencies()):
        repack(name, wheels)
    target = work / "venv"
    venv.create(target, with_pip=True)
    bin_dir = target / "bin"
    kg_wheel = next(wheels.glob("kg-*.whl"))
    done = subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "--no-index", "--find-links", str(wheels), str(kg_wheel)],
        cwd=work, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return bin_dir, env, done.stdout


def test_every_package_under_kg_is_in_the_wheel_list():
    """pyproject.toml lists the packages one by one (ontology/ and shapes/ are mapped in): none may be missing."""
    setup = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    on_disk = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "kg").rglob("__init__.py")}
    assert on_disk <= set(setup["packages"])
    assert setup["package-dir"] == {"kg.ontology": "ontology", "kg.shapes": "shapes"}


def test_every_import_in_kg_is_a_declared_dependency():
    declared = {canonicalize_name(n) for n in declared_dependencies()}
    owners = metadata.packages_distributions()
    imported: set[str] = set()
    for path in (ROOT / "kg").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    third_party = {m for m in imported if m != "kg" and m not in sys.stdlib_module_names}
    missing = {m for m in third_party if not {canonicalize_name(d) for d in owners.get(m, [m])} & declared}
    assert third_party and not missing, f"imported but not declared in pyproject.toml: {sorted(missing)}"


def test_the_wheel_runs_ingest_validate_export_and_serve_outside_the_checkout(installed_wheel, tmp_path, processes):
    bin_dir, env, log = installed_wheel
    kg = str(bin_dir / "kg")
    print(log)  # the install log, for the record (-s shows it)
    (tmp_path / "article.txt").write_text(ARTICLE, encoding="utf-8")

    def run(*args: str) -> subprocess.CompletedProcess:
        done = subprocess.run([kg, *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
        print(f"$ kg {' '.join(args)}  -> exit {done.returncode}\n{done.stdout[:400]}{done.stderr[:400]}")
        return done

    where = subprocess.run([str(bin_dir / "python"), "-c", "import kg, kg.ontology; print(kg.__file__)"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert where.returncode == 0, where.stderr
    assert Path(where.stdout.strip()).is_relative_to(bin_dir.parent), where.stdout  # the wheel's kg, not ours

    ingested = run("--store", "store", "ingest", "article.txt")
    assert ingested.returncode == 0, ingested.stdout + ingested.stderr
    assert "1 stored, 0 failed" in ingested.stdout

    validated = run("--store", "store", "validate")
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert "store: conforms" in validated.stdout

    exported = run("export", "--ontology")
    assert exported.returncode == 0, exported.stderr
    ontology = list(ox.parse(exported.stdout.encode(), format=ox.RdfFormat.TURTLE))
    assert len(ontology) > 100
    assert ox.NamedNode("https://kg.example.org/def/kg#Rank") in {q.subject for q in ontology}

    port = free_port()
    server = processes.start([kg, "--store", "store", "serve", "--port", str(port)], cwd=tmp_path, env=env)
    url, _lines = processes.serving_url(server, seconds=60)
    assert url == f"http://127.0.0.1:{port}/"
    definitions = requests.get(url + "def/kg", headers={"Accept": "text/turtle"}, timeout=30)
    assert definitions.status_code == 200 and len(definitions.content) > 1000
    people = requests.get(url + "queries/people.csv", timeout=30)
    assert people.status_code == 200 and "Ilse Hartmann" in people.text
    page = requests.get(url, headers={"Accept": "text/html"}, timeout=30)
    assert page.status_code == 200 and "<html" in page.text.lower()
    assert processes.stop(server) == 0 or server.returncode < 0


def test_the_wheel_says_so_when_the_shapes_folder_is_missing(installed_wheel, tmp_path):
    bin_dir, env, _log = installed_wheel
    (tmp_path / "article.txt").write_text(ARTICLE, encoding="utf-8")
    env = {**env, "KG_SHAPES_DIR": str(tmp_path / "no-shapes")}
    done = subprocess.run([str(bin_dir / "kg"), "--store", "store", "ingest", "article.txt"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert f"the shapes folder {tmp_path / 'no-shapes'} does not exist" in done.stderr
    assert "KG_SHAPES_DIR" in done.stderr
