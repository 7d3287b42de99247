"""Every exit code and message of the README's table, case by case, through the real `kg` command group."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import free_port

from kg.cli import cli
from kg.store import EmbeddedStore

HERE = Path(__file__).resolve().parent
ARTICLE = HERE / "articles" / "a01_iom_mission_reception.txt"
NOT_CONFORMING = HERE / "shapes" / "ArticleGraphShape.invalid.ttl"
# Shapes no article can meet: every person must have an e-mail address.
STRICT_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix schema: <https://schema.org/> .
<https://example.org/shapes#PersonEmail> a sh:NodeShape ; sh:targetClass schema:Person ;
    sh:property [ sh:path schema:email ; sh:minCount 1 ] .
"""


def kg(*args: str, stdin: str | None = None, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), input=stdin, env=env)


@pytest.fixture
def store(tmp_path) -> str:
    """A store holding one of our own articles."""
    path = str(tmp_path / "store")
    done = kg("--store", path, "ingest", str(ARTICLE))
    assert done.exit_code == 0, done.output
    return path


# --- 0 ---------------------------------------------------------------------------------------


def test_0_ingest_query_validate_export_succeed(store):
    assert kg("--store", store, "query", "--named", "people").exit_code == 0
    assert kg("--store", store, "validate").exit_code == 0
    assert kg("--store", store, "export", "--format", "nq").exit_code == 0


def test_query_json_ends_with_a_newline(store):
    done = kg("--store", store, "query", "ASK { ?s ?p ?o }")
    assert done.exit_code == 0
    assert done.stdout.endswith("}\n")
    assert json.loads(done.stdout)["boolean"] is True


# --- 1 ---------------------------------------------------------------------------------------


def test_1_an_article_rejected_by_the_shapes(tmp_path):
    shapes = tmp_path / "shapes"
    shapes.mkdir()
    (shapes / "strict.ttl").write_text(STRICT_SHAPES, encoding="utf-8")
    done = kg("--store", str(tmp_path / "s"), "ingest", str(ARTICLE), env={"KG_SHAPES_DIR": str(shapes)})
    assert done.exit_code == 1, done.output
    assert f"rejected  {ARTICLE}: the article graph does not conform to the shapes" in done.stdout
    assert "PersonEmail" in done.stderr
    assert "0 stored, 1 failed" in done.stdout


def test_1_a_file_that_does_not_conform():
    done = kg("validate", str(NOT_CONFORMING))
    assert done.exit_code == 1, done.output
    assert f"{NOT_CONFORMING}: does not conform: " in done.stdout


def test_1_warnings_fail_with_fail_on_warning(store):
    assert kg("--store", store, "validate").exit_code == 0
    done = kg("--store", store, "validate", "--fail-on", "warning")
    assert done.exit_code == 1, done.output
    assert "store: conforms (with warnings)" in done.stdout


# --- 2 ---------------------------------------------------------------------------------------


def test_2_a_missing_file_is_named_once_and_the_batch_goes_on(tmp_path):
    missing = tmp_path / "nope.txt"
    done = kg("--store", str(tmp_path / "s"), "ingest", str(missing), str(ARTICLE))
    assert done.exit_code == 2, done.output
    assert done.stderr.strip() == f"error     {missing}: cannot read file (No such file or directory)"
    assert "1 stored, 1 failed" in done.stdout


def test_2_one_line_of_text_is_not_an_article(tmp_path):
    done = kg("--store", str(tmp_path / "s"), "ingest", "-", stdin="hello world\n")
    assert done.exit_code == 2, done.output
    assert "<stdin>: not an article: one line of text ('hello world')" in done.stderr
    assert "empty article body" not in done.stderr


def test_2_wins_over_1_in_a_mixed_batch(tmp_path):
    shapes = tmp_path / "shapes"
    shapes.mkdir()
    (shapes / "strict.ttl").write_text(STRICT_SHAPES, encoding="utf-8")
    done = kg("--store", str(tmp_path / "s"), "ingest", str(ARTICLE), str(tmp_path / "nope.txt"),
              env={"KG_SHAPES_DIR": str(shapes)})
    assert done.exit_code == 2, done.output
    assert "0 stored, 2 failed" in done.stdout


def test_2_an_rdf_file_that_does_not_parse_is_named_with_line_and_column(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://example.org/a> <http://example.org/b> .\n", encoding="utf-8")
    done = kg("validate", str(bad))
    assert done.exit_code == 2, done.output
    assert done.stderr.startswith(f"kg: {bad}:1:47: not valid Turtle: ")


def test_2_a_malformed_query(store):
    done = kg("--store", store, "query", "SELECT WHERE {")
    assert done.exit_code == 2
    assert done.stderr.startswith("kg: the query does not parse: ")


def test_2_an_unknown_named_query(store):
    done = kg("--store", store, "query", "--named", "nope")
    assert done.exit_code == 2
    assert done.stderr.startswith("kg: no named query 'nope'; known: ") and "positions" in done.stderr


@pytest.mark.parametrize("command", [["query", "ASK {}"], ["validate"], ["export"]])
def test_2_a_store_path_that_does_not_exist_is_not_created(tmp_path, command):
    missing = tmp_path / "mistyped"
    done = kg("--store", str(missing), *command)
    assert done.exit_code == 2, done.output
    assert done.stderr.startswith(f"kg: no store at {missing}: the folder does not exist")
    assert not missing.exists()


@pytest.mark.parametrize("command", [["query", "ASK {}"], ["validate"]])
def test_2_a_folder_that_is_not_a_store(tmp_path, command):
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "notes.txt").write_text("not a store", encoding="utf-8")
    done = kg("--store", str(folder), *command)
    assert done.exit_code == 2, done.output
    assert done.stderr.startswith(f"kg: {folder} is not a store")
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]


@pytest.mark.parametrize("variable", ["KG_SHAPES_DIR", "KG_ONTOLOGY_DIR"])
def test_2_a_missing_ontology_or_shapes_folder(tmp_path, variable):
    what = "shapes" if variable == "KG_SHAPES_DIR" else "ontology"
    done = kg("--store", str(tmp_path / "s"), "ingest", str(ARTICLE), env={variable: str(tmp_path / "gone")})
    assert done.exit_code == 2, done.output
    assert done.stderr.startswith(f"kg: the {what} folder {tmp_path / 'gone'} does not exist")


def test_2_an_empty_ontology_folder_is_an_error_not_an_empty_ontology(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    done = kg("export", "--ontology", env={"KG_ONTOLOGY_DIR": str(empty)})
    assert done.exit_code == 2
    assert done.stdout == ""
    assert done.stderr.startswith(f"kg: the ontology folder {empty} holds no .ttl files")


@pytest.mark.parametrize(
    ("variable", "value", "says"),
    [("KG_PORT", "abc", "KG_PORT='abc' is not a whole number"),
     ("KG_PORT", "70000", "KG_PORT=70000 is not a TCP port"),
     ("KG_QUERY_TIMEOUT", "soon", "KG_QUERY_TIMEOUT='soon' is not a number"),
     ("KG_QUERY_NICE", "-5", "KG_QUERY_NICE=-5 is not a niceness to add (0 to 19)")],
)
def test_2_a_bad_setting_is_named_without_a_traceback(variable, value, says):
    done = kg("serve", env={variable: value})
    assert done.exit_code == 2, done.output
    assert done.stderr.startswith(f"kg: {says}")
    assert "Traceback" not in done.output


def test_2_a_bad_port_for_server_py_is_named_without_a_traceback():
    done = subprocess.run([sys.executable, "server.py", "--store", ":memory:"], cwd=HERE.parent, capture_output=True,
                          text=True, timeout=60, env={**os.environ, "KG_PORT": "70000"})
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("kg: KG_PORT=70000 is not a TCP port") and "Traceback" not in done.stderr


@pytest.mark.parametrize("args", [["bogus"], ["query", "--nope"], ["export", "--format", "xx"]])
def test_2_a_bad_command_or_option(args):
    done = kg(*args)
    assert done.exit_code == 2
    assert "Error:" in done.stderr


# --- 3 ---------------------------------------------------------------------------------------


def test_3_a_store_held_for_writing(store):
    holder = EmbeddedStore.open(store)
    try:
        done = kg("--store", store, "ingest", str(ARTICLE))
    finally:
        holder.close()
    assert done.exit_code == 3, done.output
    assert done.stderr.startswith(f"kg: the store at {store} is held for writing by another process")


def test_3_an_external_store_that_does_not_answer():
    done = kg("--store", f"http://127.0.0.1:{free_port()}", "query", "ASK {}")
    assert done.exit_code == 3, done.output
    assert done.stderr.startswith("kg: ")
    assert "Traceback" not in done.output
