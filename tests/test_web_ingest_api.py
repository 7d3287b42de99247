"""POST /ingest over real HTTP: each article format, per-article outcomes, the token."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from conftest import WRITE_TOKEN

import kg.ingest
from kg.validation.result import ValidationResult

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
AUTH = {"Authorization": f"Bearer {WRITE_TOKEN}"}
TEXT = (EXAMPLES / "01_ambassador_reception.txt").read_text(encoding="utf-8")
OTHER = (EXAMPLES / "02_executive_committee.txt").read_text(encoding="utf-8")


def ingest(server, body: str, content_type: str, headers=AUTH) -> requests.Response:
    headers = {**headers, "Content-Type": content_type}
    return requests.post(f"{server.url}ingest", data=body.encode(), headers=headers, timeout=60)


def stored_graphs(server, body: dict) -> list[str]:
    graphs = [a["graph"] for a in body["articles"] if a["status"] == "stored"]
    assert all(server.store.has_graph(ox.NamedNode(g)) for g in graphs)
    return graphs


def test_a_text_article_is_stored(write_server) -> None:
    response = ingest(write_server, TEXT, "text/plain; charset=utf-8")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["stored"] == 1 and body["rejected"] == 0
    assert body["articles"][0]["article"].startswith("https://kg.example.org/")
    assert len(stored_graphs(write_server, body)) == 1
    again = ingest(write_server, TEXT, "text/plain")  # re-ingest replaces, same graph
    assert again.json()["articles"][0]["graph"] == body["articles"][0]["graph"]


def test_html_and_json_lines(write_server) -> None:
    html = "<html><body><article><h1>Visit</h1>" + "".join(
        f"<p>{p}</p>" for p in TEXT.split("\n\n")[1:4]) + "</article></body></html>"
    assert ingest(write_server, html, "text/html").status_code == 201
    lines = "\n".join(json.dumps({"body": t, "published": "2024-03-12"}) for t in (TEXT, OTHER))
    response = ingest(write_server, lines, "application/x-ndjson")
    assert response.status_code == 201, response.text
    assert len(stored_graphs(write_server, response.json())) == 2


def test_each_article_is_all_or_nothing(write_server, monkeypatch: pytest.MonkeyPatch) -> None:
    """The second article fails the shapes (forced here): the first is stored, the second not at all."""
    real = kg.ingest.validate_article_graph

    def fail_the_committee(graph, *args, **kwargs) -> ValidationResult:
        result = real(graph, *args, **kwargs)
        if "Executive Committee" in graph.serialize(format="nt"):
            result.conforms = False
        return result

    monkeypatch.setattr(kg.ingest, "validate_article_graph", fail_the_committee)
    lines = "\n".join(json.dumps({"body": t}) for t in (TEXT, OTHER))
    response = ingest(write_server, lines, "application/x-ndjson")
    assert response.status_code == 422, response.text
    assert response.headers["Content-Type"] == "application/json"
    assert response.json()["error"] == "validation" and "1 of 2 articles" in response.json()["message"]
    first, second = response.json()["articles"]
    assert first["status"] == "stored" and second["status"] == "rejected"
    assert "validation" in second and second["validation"]["conforms"] is False
    assert write_server.store.has_graph(ox.NamedNode(first["graph"]))
    assert not write_server.store.has_graph(ox.NamedNode(second["graph"]))


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [(TEXT, "application/pdf", 415), ("{not json", "application/x-ndjson", 422), ("---\n", "text/plain", 400)],
)
def test_bad_input(write_server, body: str, content_type: str, status: int) -> None:
    assert ingest(write_server, body, content_type).status_code == status


def test_the_token_is_required(write_server) -> None:
    assert ingest(write_server, TEXT, "text/plain", headers={}).status_code == 401
    assert ingest(write_server, TEXT, "text/plain", headers={"Authorization": "Bearer x"}).status_code == 403
