"""`kg validate` as a CI step: several shapes files or folders, data folders, kg's shapes by default,
and a JSON report that follows the schema kept in docs/."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from kg.cli import cli

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "validate_fixtures"
SCHEMA = json.loads((ROOT / "docs" / "validation-report.schema.json").read_text(encoding="utf-8"))
OWN = FIXTURES / "own_shapes"
BOOK_SHAPE = "http://library.example/shapes#BookShape"
AUTHOR_SHAPE = "http://library.example/shapes#AuthorShape"


def kg(*args: str):
    return CliRunner().invoke(cli, ["--store", ":memory:", "validate", *args])


def report(*args: str) -> dict:
    result = kg("--format", "json", *args)
    assert result.exit_code in (0, 1), result.output
    found = json.loads(result.stdout)
    jsonschema.validate(found, SCHEMA)
    return found


def test_the_schema_is_itself_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_kg_shapes_are_the_default():
    assert kg(str(FIXTURES / "kg_conforming.ttl")).exit_code == 0
    failing = kg(str(FIXTURES / "kg_failing.ttl"))
    assert failing.exit_code == 1
    assert "https://kg.example.org/def/shapes#PersonShape" in failing.output
    assert "https://kg.example.org/id/person/tovin-ashe" in failing.output


def test_shapes_folder_with_files_in_two_formats():
    found = report("--shapes", str(OWN), str(FIXTURES / "own_data"))
    assert found["conforms"] is False
    assert [(r["severity"], r["shape"], r["focus"], r["path"]) for r in found["results"]] == [
        ("Violation", BOOK_SHAPE, "http://library.example/book/untitled", "http://library.example/def#title"),
        ("Warning", AUTHOR_SHAPE, "http://library.example/author/anon", "http://library.example/def#name"),
    ]


def test_several_shapes_files_give_the_same_report_as_their_folder():
    by_files = report("--shapes", str(OWN / "book.ttl"), "--shapes", str(OWN / "author.jsonld"),
                      str(FIXTURES / "own_data" / "shelf.trig"))
    assert by_files == report("--shapes", str(OWN), str(FIXTURES / "own_data"))


def test_one_shapes_file_checks_only_its_shapes():
    found = report("--shapes", str(OWN / "author.jsonld"), str(FIXTURES / "own_data"))
    assert found["conforms"] is True  # only a Warning is left
    assert [r["shape"] for r in found["results"]] == [AUTHOR_SHAPE]


def test_own_shapes_replace_kg_shapes():
    """kg's PersonShape would reject this file; the user's shapes have nothing to say about it."""
    found = report("--shapes", str(OWN), str(FIXTURES / "kg_failing.ttl"))
    assert found == {"conforms": True, "results": []}


@pytest.mark.parametrize("fail_on,code", [("violation", 0), ("warning", 1), ("info", 1)])
def test_fail_on_sets_the_threshold(fail_on, code):
    result = kg("--shapes", str(OWN / "author.jsonld"), "--fail-on", fail_on, str(FIXTURES / "own_data"))
    assert result.exit_code == code, result.output


def test_blank_nodes_of_different_files_are_kept_apart(tmp_path):
    """Both shapes files name a property shape `_:b0`; merged as one node, BookShape's title
    constraint would also read the author's Warning severity and path."""
    found = report("--shapes", str(OWN), str(FIXTURES / "own_data"))
    book = [r for r in found["results"] if r["shape"] == BOOK_SHAPE]
    assert [(r["severity"], r["constraint"]) for r in book] == [("Violation", "MinCountConstraintComponent")]


def test_data_folder_reads_rdf_files_recursively_and_skips_hidden_ones(tmp_path):
    (tmp_path / "nested" / "deeper").mkdir(parents=True)
    shutil.copy(FIXTURES / "kg_conforming.ttl", tmp_path / "nested" / "deeper" / "people.ttl")
    (tmp_path / "notes.txt").write_text("not RDF, not read", encoding="utf-8")
    (tmp_path / ".hidden").mkdir()
    shutil.copy(FIXTURES / "kg_failing.ttl", tmp_path / ".hidden" / "ignored.ttl")
    assert kg(str(tmp_path)).exit_code == 0
    shutil.copy(FIXTURES / "kg_failing.ttl", tmp_path / "nested" / "failing.ttl")
    assert kg(str(tmp_path)).exit_code == 1


def test_a_folder_without_rdf_files_is_an_error_naming_it(tmp_path):
    result = kg(str(tmp_path))
    assert result.exit_code == 2
    assert f"{tmp_path}: no RDF files" in result.output


def test_a_broken_shapes_file_is_named_with_line_and_column(tmp_path):
    broken = tmp_path / "shapes.ttl"
    broken.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n<http://x/S> a sh:NodeShape\n", encoding="utf-8")
    result = kg("--shapes", str(broken), str(FIXTURES / "kg_conforming.ttl"))
    assert result.exit_code == 2
    assert f"{broken}:" in result.output and "not valid" in result.output


def test_every_json_report_follows_the_schema_with_warnings_and_nulls():
    found = report("--shapes", str(OWN), str(FIXTURES / "own_data"))
    assert {r["value"] for r in found["results"]} == {None}  # nulls are allowed by the schema
    wrong = dict(found, results=[dict(found["results"][0], severity="Error")])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(wrong, SCHEMA)


def test_a_shapes_folder_set_in_the_environment_must_exist(tmp_path):
    missing = tmp_path / "no-such-shapes"
    result = CliRunner().invoke(cli, ["validate", str(FIXTURES / "kg_conforming.ttl")],
                                env={"KG_SHAPES_DIR": str(missing)})
    assert result.exit_code == 2
    assert str(missing) in result.output and "KG_SHAPES_DIR" in result.output
