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
import signal
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
DEMO_STORE = ROOT / "data" / "store"  # the CLI's default store, so `kg query ...` reads what the demo serves


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
    shown = os.path.relpath(kg)
    print(f"the store is {os.path.relpath(DEMO_STORE)}, kg's default. While the server runs it holds the store;"
          f" ask it over HTTP:\n  curl '{demo_url(args)}queries/positions.csv'\n"
          f"once it is stopped (Ctrl-C), the kg command reads the same store:\n"
          f"  {shown} query --named positions --format csv\n"
          f"  {shown} query --list", flush=True)
    return run_forwarding_signals(kg, "--store", DEMO_STORE, "serve", *args)


def demo_url(args: list[str]) -> str:
    """The address `kg serve` will listen on, from its options (or KG_HOST/KG_PORT, or the defaults)."""
    found = {"--host": os.environ.get("KG_HOST", "127.0.0.1"), "--port": os.environ.get("KG_PORT", "5000")}
    for option, value in zip(args, args[1:], strict=False):
        if option in found:
            found[option] = value
    return f"http://{found['--host']}:{found['--port']}/"


def run_forwarding_signals(*args: str | Path) -> int:
    """Run a long-lived child (the server) and pass SIGINT/SIGTERM on to it, then wait for it.

    The child has its own process group, so a Ctrl-C in the terminal reaches it once, through
    us, and `kill` of this script does not leave it holding the store. Our handlers are set
    before the child starts: a signal we catch starts out at its default in the child, even
    where we were started with SIGINT ignored (a background job of a script).
    """
    children: list[subprocess.Popen] = []
    pending: list[int] = []

    def forward(signum: int, _frame: object) -> None:
        if not children:
            pending.append(signum)  # before the child exists: pass it on once it does
        elif children[0].poll() is None:
            children[0].send_signal(signum)

    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        children.append(subprocess.Popen([str(a) for a in args], cwd=ROOT, process_group=0))
        for signum in pending:
            children[0].send_signal(signum)
        return children[0].wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def apt_install(package: str, why: str) -> bool:
    """Install a Debian package when we may (root with apt-get); True when it was installed."""
    if not (os.name == "posix" and os.geteuid() == 0 and shutil.which("apt-get")):
        return False
    print(f"installing {package} {why} (apt-get)", flush=True)
    quiet = {"stdout": subprocess.DEVNULL, "env": {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}}
    subprocess.call(["apt-get", "update", "-qq"], **quiet)
    return subprocess.call(["apt-get", "install", "-y", "-qq", package], **quiet) == 0


def ensure_browser() -> None:
    """The page tests drive a real Chromium: install Debian's when we may (root with apt-get), else say so."""
    if any(shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome")):
        return
    if apt_install("chromium", "for the browser tests"):
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
    """The validation gate CI runs: the graph built from examples/ and our own test articles (and
    the real articles where ../shared/corpus is here) must conform to the shapes; it says which
    inputs it validated and which it could not, and leaves a JUnit report in var/."""
    store = ROOT / "var" / "gate-store"
    if store.exists():
        shutil.rmtree(store)
    corpus = ROOT.parent / "shared" / "corpus" / "articles"
    sources = [ROOT / "examples", ROOT / "tests" / "articles"] + ([corpus] if corpus.is_dir() else [])
    print("validation gate: ingesting " + ", ".join(os.path.relpath(s, ROOT) for s in sources), flush=True)
    if not corpus.is_dir():
        print(f"validation gate: NOTICE: {corpus} is absent, so the real articles are not validated", flush=True)
    code = run(BIN / "kg", "--store", store, "ingest", *sources)
    if code:
        return code
    report = ROOT / "var" / "validation-junit.xml"
    code = run(BIN / "kg", "--store", store, "validate", "--junit", report)
    names = ", ".join(os.path.relpath(s, ROOT) for s in sources)
    print(f"validation gate: {'passed' if code == 0 else 'FAILED'}: the store built from {names} "
          f"{'conforms' if code == 0 else 'does not conform'} (JUnit report: {os.path.relpath(report, ROOT)})")
    return code


def bench(args: list[str]) -> int:
    """All benchmarks with their defaults, or one with its options: `python3 dev.py bench side_by_side --store S`."""
    ensure_venv("[test,bench]")
    ensure_wrk()
    return run(BIN / "python", "-m", "bench", *args)


def ensure_wrk() -> None:
    """The side-by-side and front-ceiling benchmarks drive servers with wrk: install Debian's when we may."""
    if shutil.which("wrk") or apt_install("wrk", "for the benchmarks"):
        return
    print("no wrk found: bench.side_by_side and bench.front_ceiling need it (install the 'wrk' package)")


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
