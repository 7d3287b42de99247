"""The user guide builds with the command `python3 dev.py docs` runs (mkdocs --strict, so links
are checked), and its reference pages say what kg itself says: `--help`, the settings object."""

from __future__ import annotations

import html
import importlib.util
import json
import shutil
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from selectolax.lexbor import LexborHTMLParser

from kg.cli import cli
from kg.config import Settings

ROOT = Path(__file__).resolve().parents[1]
HELP_WIDTH = 80  # as docs/_hooks/reference.py renders it


def dev_module():
    spec = importlib.util.spec_from_file_location("kg_dev", ROOT / "dev.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build(config: Path, site: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", *dev_module().DOCS_BUILD, "--config-file", str(config), "--site-dir", str(site)]
    return subprocess.run(command, cwd=config.parent, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("site")
    done = build(ROOT / "mkdocs.yml", target)
    assert done.returncode == 0, done.stderr
    return target


def page(site: Path, path: str) -> LexborHTMLParser:
    return LexborHTMLParser((site / path).read_text(encoding="utf-8"))


def test_the_build_command_is_strict():
    assert "--strict" in dev_module().DOCS_BUILD


def test_every_command_help_is_in_the_cli_reference(site):
    blocks = [html.unescape(code.text()) for code in page(site, "reference/cli/index.html").css("[role=main] pre code")]
    commands = cli.list_commands(click.Context(cli))
    assert len(blocks) == len(commands) + 1
    for args in [[], *([name] for name in commands)]:
        printed = CliRunner().invoke(cli, [*args, "--help"], prog_name="kg", terminal_width=HELP_WIDTH).output
        assert printed.strip() in [b.strip() for b in blocks], f"kg {' '.join(args)} --help"


def test_every_setting_is_in_the_configuration_table(site):
    rows = page(site, "reference/configuration/index.html").css("[role=main] table tbody tr")
    by_variable = {row.css("td")[0].text(): [td.text() for td in row.css("td")] for row in rows}
    assert list(by_variable) == [f"KG_{f.name.upper()}" for f in fields(Settings)]
    assert all(len(cells) == 4 and cells[3].strip() for cells in by_variable.values())
    assert by_variable["KG_PORT"][2] == str(Settings().port)
    assert by_variable["KG_WRITE_TOKEN"][2] == "unset"


def test_the_json_schema_and_the_ontology_are_published(site):
    published = json.loads((site / "validation-report.schema.json").read_text(encoding="utf-8"))
    assert published == json.loads((ROOT / "docs" / "validation-report.schema.json").read_text(encoding="utf-8"))
    ids = {node.attributes.get("id") for node in page(site, "reference/ontology.html").css("[id]")}
    assert {"PostHolding", "Rank", "Meeting"} <= ids


def test_the_guide_covers_ci_stores_and_proxies(site):
    text = {name: page(site, f"{name}/index.html").body.text() for name in ("ci", "external-store", "reverse-proxy")}
    assert "kg-validate" in text["ci"] and "action.yml" in text["ci"] and "pip install" in text["ci"]
    assert "KG_STORE=http://127.0.0.1:7878" in text["external-store"]
    assert "KG_PUBLIC_BASE_URL" in text["reverse-proxy"]


def test_a_broken_link_or_anchor_fails_the_build(tmp_path):
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    index = tmp_path / "docs" / "index.md"
    broken = "\nSee [a page](missing.md) and [a heading](ci.md#no-such-heading).\n"
    index.write_text(index.read_text(encoding="utf-8") + broken, encoding="utf-8")
    done = build(tmp_path / "mkdocs.yml", tmp_path / "site")
    assert done.returncode != 0
    warnings = [line for line in done.stderr.splitlines() if "index.md" in line]
    assert any("missing.md" in line for line in warnings), done.stderr
    assert any("no-such-heading" in line for line in warnings), done.stderr


def test_readme_points_to_the_guide_and_its_build_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## kg in CI", 1)[1].split("\n## ", 1)[0]
    assert "python3 dev.py docs" in section and "docs/ci.md" in section
