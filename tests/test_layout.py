"""The package map of README.md ("Layout"), checked on the source: who may import whom.

The imports of every module under kg/ are read with `ast` (nothing is imported, so no module's
side effects run), every import anywhere in a file counts (one inside a function too), and the
test fails when an import breaks the map, when a web blueprint imports another blueprint, or
when modules import each other in a circle.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

KG = Path(__file__).resolve().parent.parent / "kg"

# The map, lowest layer first. A part may import the parts of lower layers; within the
# foundation layer parts may import each other (no circle, checked below); in every other layer
# a part imports only lower layers. A part is a top-level module of kg or a subpackage of kg.
LAYERS: list[tuple[str, set[str]]] = [
    ("foundation", {"kg", "errors", "config", "namespaces", "iris", "facts", "month_names", "rdfterms",
                    "reference", "jsonld", "named", "docs"}),
    ("reading articles", {"loaders", "extract"}),
    ("building RDF", {"build"}),
    ("store", {"store"}),
    ("over the store", {"validation", "change_marker", "void", "resource_description"}),
    ("services", {"sparql", "ingest"}),
    ("web", {"web"}),
    ("command line", {"cli"}),
]
LAYER_OF = {part: number for number, (_, parts) in enumerate(LAYERS) for part in parts}


def module_name(path: Path) -> str:
    """kg/web/sparql.py -> kg.web.sparql; kg/web/__init__.py -> kg.web."""
    parts = path.relative_to(KG.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(KG.rglob("*.py"))}


def imported(path: Path, name: str, known: dict[str, Path]) -> Iterator[tuple[str, int]]:
    """The kg modules `path` (module `name`) imports, with line numbers; `from P import m` names P.m if a module."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "kg" or alias.name.startswith("kg."):
                    yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            if base != "kg" and not base.startswith("kg."):
                continue
            for alias in node.names:
                child = f"{base}.{alias.name}"
                yield (child if child in known else base), node.lineno


def part_of(module: str) -> str:
    """kg -> "kg"; kg.errors -> "errors"; kg.web.sparql -> "web"."""
    return module.split(".")[1] if "." in module else "kg"


def edges() -> list[tuple[str, str, int]]:
    known = modules()
    return [(name, target, line) for name, path in known.items() for target, line in imported(path, name, known)]


def map_breaks(found: list[tuple[str, str, int]]) -> list[str]:
    """Every import that the map does not allow, said as file:line and the rule it breaks."""
    broken = []
    for source, target, line in found:
        a, b = part_of(source), part_of(target)
        if a == b:
            continue
        for part in (a, b):
            if part not in LAYER_OF:
                broken.append(f"{source}:{line}: kg.{part} is not in the package map (tests/test_layout.py, README)")
        if a not in LAYER_OF or b not in LAYER_OF:
            continue
        la, lb = LAYER_OF[a], LAYER_OF[b]
        if lb > la or (lb == la and la != 0):
            broken.append(f"{source}:{line} imports {target}: {LAYERS[la][0]} ({a}) may not import "
                          f"{LAYERS[lb][0]} ({b})")
    return broken


def blueprints() -> set[str]:
    """The kg.web modules that define a Flask blueprint at module level (`bp = Blueprint(...)`)."""
    found = set()
    for name, path in modules().items():
        if not name.startswith("kg.web."):
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
                func = node.value.func
                if getattr(func, "id", getattr(func, "attr", None)) == "Blueprint":
                    found.add(name)
    return found


def circles(found: list[tuple[str, str, int]]) -> list[list[str]]:
    """Every circle of module imports (Tarjan's strongly connected components of two or more modules).

    A package's __init__ importing its own submodules (to register or re-export them) is its face,
    not a dependency, so those edges are left out, as they are when the package is drawn.
    """
    packages = {name for name, path in modules().items() if path.name == "__init__.py"}
    graph: dict[str, set[str]] = {}
    for source, target, _ in found:
        face_of_own_part = source in packages and target.startswith(source + ".")
        if source != target and not face_of_own_part:
            graph.setdefault(source, set()).add(target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def test_every_import_keeps_the_package_map() -> None:
    found = edges()
    assert len(found) > 100  # the reader sees the imports (a reader that saw none would pass anything)
    assert map_breaks(found) == []


def test_no_web_blueprint_imports_another() -> None:
    prints = blueprints()
    assert {"kg.web.sparql", "kg.web.ingest_api", "kg.web.void", "kg.web.pages"} <= prints
    crossing = [f"{s}:{line} imports {t}" for s, t, line in edges() if s in prints and t in prints and s != t]
    assert crossing == []


def test_no_import_circle() -> None:
    assert circles(edges()) == []


@pytest.mark.parametrize(
    ("source", "target", "broken"),
    [
        ("kg.store.embedded", "kg.validation.shacl", True),  # the store below validation
        ("kg.extract.roles", "kg.loaders.text", True),  # two parts of one layer
        ("kg.errors", "kg.web.services", True),
        ("kg.web.sparql", "kg.sparql.runners", False),
        ("kg.validation.checks", "kg.store.existing", False),
        ("kg.extract.roles", "kg.facts", False),
        ("kg.reference", "kg.config", False),  # within the foundation
        ("kg.newthing", "kg.errors", True),  # a part the map does not name
    ],
)
def test_the_map_check_tells_allowed_from_forbidden(source: str, target: str, broken: bool) -> None:
    assert bool(map_breaks([(source, target, 1)])) is broken


def test_the_circle_check_finds_a_circle() -> None:
    found = [("kg.a", "kg.b", 1), ("kg.b", "kg.c", 1), ("kg.c", "kg.a", 1), ("kg.c", "kg.errors", 1)]
    assert circles(found) == [["kg.a", "kg.b", "kg.c"]]
