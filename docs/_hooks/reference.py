"""mkdocs hook: the user guide's reference pages, generated from kg itself at every build.

The CLI reference is what `kg COMMAND --help` prints, the configuration table is read from the
`Settings` dataclass (names, types, defaults and the comment on each field in kg/config.py), and
the ontology page is the one `kg docs` writes. None of them is kept in the repository, so none
can drift; a setting without a comment fails the build.
"""

from __future__ import annotations

import ast
import io
import tempfile
import tokenize
from dataclasses import MISSING, fields
from pathlib import Path

import click
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from kg import config as kg_config
from kg.cli import cli
from kg.config import Settings

HELP_WIDTH = 80  # the width `kg ... --help` is rendered at, in the page and in tests/test_user_guide.py
CLI_PAGE = "reference/cli.md"
SETTINGS_PAGE = "reference/configuration.md"
ONTOLOGY_PAGE = "reference/ontology.html"


def help_text(*names: str) -> str:
    """What `kg NAMES... --help` prints, at HELP_WIDTH columns."""
    width = {"terminal_width": HELP_WIDTH, "max_content_width": HELP_WIDTH}
    ctx = click.Context(cli, info_name="kg", **width)
    command: click.Command = cli
    for name in names:
        command = command.get_command(ctx, name)  # type: ignore[union-attr]
        ctx = click.Context(command, info_name=name, parent=ctx, **width)
    return command.get_help(ctx)


def cli_page() -> str:
    commands = cli.list_commands(click.Context(cli))
    parts = [
        "# Command reference",
        "",
        "Generated at build time from `kg --help` and `kg COMMAND --help`: this is what your installed",
        "kg prints. Exit codes: 0 success; 1 a check failed; 2 a usage or input error; 3 the store is",
        "held by another process or an external store cannot be reached.",
        "",
        "## kg",
        "",
        "```text",
        help_text(),
        "```",
    ]
    for name in commands:
        parts += ["", f"## kg {name}", "", "```text", help_text(name), "```"]
    return "\n".join(parts) + "\n"


def field_comments() -> dict[str, str]:
    """What kg/config.py says of each Settings field: the comment on its line, else the comment
    lines right above it; a field of the same type on the next line shares that comment."""
    source = Path(kg_config.__file__).read_text(encoding="utf-8")
    lines = source.splitlines()
    comments = {
        tok.start[0]: tok.string.lstrip("#").strip()
        for tok in tokenize.generate_tokens(io.StringIO(source).readline)
        if tok.type == tokenize.COMMENT
    }

    def block_above(lineno: int) -> str:
        block: list[str] = []
        while lineno > 1 and lines[lineno - 2].lstrip().startswith("#"):
            lineno -= 1
            block.insert(0, comments[lineno])
        return " ".join(block)

    settings_class = next(node for node in ast.walk(ast.parse(source))
                          if isinstance(node, ast.ClassDef) and node.name == Settings.__name__)
    said: dict[str, str] = {}
    shared = ("", "", 0)  # a comment block, the type it was written over, the line of the last field under it
    for node in settings_class.body:
        if not (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)):
            continue
        kind = ast.unparse(node.annotation)
        text = comments.get(node.lineno) or block_above(node.lineno)
        if not text and shared[0] and shared[1] == kind and shared[2] == node.lineno - 1:
            text = shared[0]
        shared = (text, kind, node.lineno) if text and node.lineno not in comments else ("", "", 0)
        if text:
            said[node.target.id] = text
    return said


def shown_default(value: object) -> str:
    if value is None:
        return "unset"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, Path):
        try:
            return f"`{value.relative_to(kg_config.PROJECT_ROOT)}/` (kg's own)"
        except ValueError:
            return f"`{value}`"
    return f"`{value}`"


def settings_page() -> str:
    comments = field_comments()
    rows = []
    for f in fields(Settings):
        if f.name not in comments:
            raise PluginError(f"kg/config.py: the setting {f.name!r} has no comment saying what it is for")
        default = f.default if f.default is not MISSING else f.default_factory()  # type: ignore[misc]
        kind = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", str(f.type))
        what = comments[f.name].replace("|", "\\|")
        rows.append(f"| `KG_{f.name.upper()}` | `{kind}` | {shown_default(default)} | {what} |")
    return "\n".join([
        "# Configuration",
        "",
        "Generated at build time from the `Settings` object in `kg/config.py`. kg reads its defaults,",
        "then `KG_*` environment variables, then command-line options (`--store`, `--host`, `--port`,",
        "`--threads`). A boolean is true for `1`, `true`, `yes` or `on`.",
        "",
        "| variable | type | default | what it is for |",
        "| --- | --- | --- | --- |",
        *rows,
    ]) + "\n"


def ontology_page() -> str:
    from kg.docs import write_docs

    settings = kg_config.load_settings()
    with tempfile.TemporaryDirectory() as folder:
        page = write_docs(Path(folder) / "ontology.html", settings.ontology_dir, settings.shapes_dir,
                          root=settings.base_iri)
        return page.read_text(encoding="utf-8")


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the generated pages to the site, as if they were files in docs/."""
    for uri, make in ((CLI_PAGE, cli_page), (SETTINGS_PAGE, settings_page), (ONTOLOGY_PAGE, ontology_page)):
        if files.get_file_from_path(uri) is not None:
            raise PluginError(f"docs/{uri} is generated at build time: remove the file from docs/")
        files.append(File.generated(config, uri, content=make()))
    return files
