#!/usr/bin/env python3
"""The project's two commands, needing nothing but Python 3.11:

    python3 dev.py demo    install kg in .venv, load the demo articles, serve on http://127.0.0.1:5000/
    python3 dev.py test    install kg and its test tools in .venv, lint, run the whole test suite,
                           then the validation gate (the graph built from the articles must conform)

Also: `python3 dev.py bench` runs the benchmarks; `python3 dev.py docs` builds the user guide
(mkdocs, links checked) into var/site/. Options after the command are passed on
(`demo --port 8080`, `test -k store`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
DEMO_STORE = ROOT / "data" / "demo-store"


def run(*args: str | Path) -> int:
    return subprocess.call([str(a) for a in args], cwd=ROOT)


def ensure_venv(extras: str = "") -> None:
    """Create .venv and install kg (editable) with the given extras, quietly, if not done yet."""
    if not (BIN / "python").exists():
        print("creating .venv", flush=True)
        venv.create(VENV, with_pip=True)
    marker = VENV / f".installed{extras or '-base'}"
    stamp = str((ROOT / "pyproject.toml").stat().st_mtime)
    if marker.exists() and marker.read_text() == stamp:
        return
    print(f"installing kg{extras} into .venv", flush=True)
    target = f"{ROOT}{extras}"
    code = run(BIN / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", target)
    if code:
        sys.exit(code)
    marker.write_text(stamp)


def demo(args: list[str]) -> int:
    ensure_venv()
    kg = BIN / "kg"
    code = run(kg, "--store", DEMO_STORE, "ingest", ROOT / "examples")
    if code:
        return code
    return run(kg, "--store", DEMO_STORE, "serve", *args)


def ensure_browser() -> None:
    """The page tests drive a real Chromium: install Debian's when we may (root with apt-get), else say so."""
    if any(shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome")):
        return
    if os.name == "posix" and os.geteuid() == 0 and shutil.which("apt-get"):
        print("installing chromium for the browser tests (apt-get)", flush=True)
        quiet = {"stdout": subprocess.DEVNULL, "env": {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}}
        subprocess.call(["apt-get", "update", "-qq"], **quiet)
        if subprocess.call(["apt-get", "install", "-y", "-qq", "chromium"], **quiet) == 0:
            return
    print("no chromium found: the browser tests will skip (install the 'chromium' package to run them)")


def test(args: list[str]) -> int:
    ensure_venv("[test]")
    ensure_browser()
    code = run(BIN / "ruff", "check", ".")
    if code:
        return code
    code = run(BIN / "python", "-m", "pytest", *args)
    if code == 5:
        print("pytest collected no tests: that is a failure here", file=sys.stderr)
    if code or args:
        return code
    return gate()


def gate() -> int:
    """The validation gate CI runs: the graph built from examples/ (and the real articles when
    ../shared/corpus is here) must conform to the shapes; a JUnit report is left in var/."""
    store = ROOT / "var" / "gate-store"
    if store.exists():
        shutil.rmtree(store)
    sources = [ROOT / "examples"] + [p for p in [ROOT.parent / "shared" / "corpus" / "articles"] if p.is_dir()]
    print("validation gate: ingesting " + ", ".join(str(s) for s in sources), flush=True)
    code = run(BIN / "kg", "--store", store, "ingest", *sources)
    if code:
        return code
    report = ROOT / "var" / "validation-junit.xml"
    code = run(BIN / "kg", "--store", store, "validate", "--junit", report)
    print(f"validation gate: {'passed' if code == 0 else 'FAILED'} (JUnit report: {report})")
    return code


def bench(args: list[str]) -> int:
    ensure_venv("[test]")
    return run(BIN / "python", "-m", "bench", *args)


DOCS_BUILD = ("mkdocs", "build", "--strict")  # --strict: a broken link or a generation error fails


def docs(args: list[str]) -> int:
    """Build the user guide (docs/, mkdocs.yml) into var/site/; options after `docs` go to mkdocs build."""
    ensure_venv("[docs]")
    code = run(BIN / "python", "-m", *DOCS_BUILD, *args)
    if code == 0 and not args:
        print(f"user guide: {ROOT / 'var' / 'site' / 'index.html'}")
    return code


COMMANDS = {"demo": demo, "test": test, "bench": bench, "docs": docs}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in COMMANDS:
        print(__doc__)
        return 2
    return COMMANDS[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
