"""The README documents every setting and every CLI command, so neither can drift out of sight."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import click

from kg.cli import cli
from kg.config import Settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_in_the_readme():
    missing = [f"KG_{f.name.upper()}" for f in fields(Settings) if f"KG_{f.name.upper()}" not in README]
    assert missing == []


def test_every_command_is_in_the_readme():
    ctx = click.Context(cli)
    missing = [name for name in cli.list_commands(ctx) if f"kg {name}" not in README]
    assert missing == []
