"""POST /ingest: articles in, stored article graphs (or validation reports) out.

The body is one article (text/plain, text/html) or many (application/x-ndjson, JSON Lines),
read by the same loaders as `kg ingest`, and each goes through `kg.ingest.Ingestor`: extracted,
validated, and stored only if it conforms (all or nothing per article). The answer lists every
article's outcome: 201 when all were stored, 422 when some were not (the others are stored).
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, jsonify, request

from kg.errors import InputError, UnsupportedMediaType, ValidationFailed
from kg.facts import Article
from kg.ingest import Ingestor, Outcome
from kg.loaders import read_bytes
from kg.sparql.validated_writes import write_lock
from kg.validation.report import as_json
from kg.validation.result import ValidationResult
from kg.web.auth import require_writer
from kg.web.errors import error_body
from kg.web.services import services

bp = Blueprint("ingest_api", __name__)
KINDS = {  # media type -> the article reader kg.loaders uses for files of that kind
    "text/plain": "text",
    "text/html": "html",
    "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl",
    "application/json-lines": "jsonl",
}


@bp.route("/ingest", methods=["POST"])
def ingest() -> Response:
    """Ingest the articles in the request body."""
    require_writer(request.headers.get("Authorization"))
    kind = KINDS.get(request.mimetype)
    if kind is None:
        raise UnsupportedMediaType(f"cannot read articles of type {request.mimetype or '(none)'}; "
                                   f"send one of {', '.join(KINDS)}")
    items = read_body(request.get_data(), kind)
    if not items:
        raise InputError("the request holds no article")
    ingestor = services().ingestor
    with write_lock:
        ingestor.ensure_reference()
        outcomes = [_ingest_item(ingestor, item) for item in items]
    services().notify_write()
    stored = sum(o.ok for o in outcomes)
    body = {"stored": stored, "rejected": len(outcomes) - stored, "articles": [_outcome(o) for o in outcomes]}
    if stored == len(outcomes):
        return jsonify(body), 201
    # Some articles were not stored: the one error shape, with the per-article report beside it.
    message = f"{len(outcomes) - stored} of {len(outcomes)} articles were not stored; see 'articles'"
    return jsonify(error_body(ValidationFailed.kind, message, **body)), ValidationFailed.status


def read_body(body: bytes, kind: str) -> list[Article | InputError]:
    """Read the body as a file of that kind would be read: a bad JSON Lines record is that item's error."""
    return read_bytes(body, source="request body", kind=kind)


def _ingest_item(ingestor: Ingestor, item: Article | InputError) -> Outcome:
    """One item's outcome: a record that could not be read is reported, and the batch goes on."""
    if isinstance(item, InputError):
        return Outcome(source="request body", status="error", error=item.message)
    return ingestor.ingest_article(item)


def _outcome(outcome: Outcome) -> dict:
    body = {"status": outcome.status, "article": outcome.article, "graph": outcome.graph, "triples": outcome.triples}
    if outcome.error is not None:
        body["error"] = outcome.error
    if outcome.validation is not None and not outcome.ok:
        body["validation"] = _report(outcome.validation)
    return body


def _report(result: ValidationResult) -> dict:
    return json.loads(as_json(result))

