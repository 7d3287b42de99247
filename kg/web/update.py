"""The SPARQL 1.1 Update endpoint, /update: POST only, a write token required.

The update is read as the protocol says (form `update=` or a direct `application/sparql-update`
body, with `using-graph-uri` / `using-named-graph-uri`), guarded like a query (no LOAD or SERVICE
unless allowed, nesting bounded before any parser sees it), then applied by `kg.sparql.validated_writes`:
on a scratch copy first, relative IRIs resolved against the request's URL, the changed graphs
validated, and the store written in one request or not at all. 204 No Content when applied.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl

from flask import Blueprint, Response, request

from kg.errors import UnsupportedMediaType, UsageError
from kg.sparql.guard import check
from kg.sparql.protocol import FORM, UPDATE, _decode
from kg.sparql.validated_writes import update_change, with_using, write_graphs
from kg.web import get_settings, get_store
from kg.web.auth import require_writer
from kg.web.deadline import request_deadline
from kg.web.services import services

bp = Blueprint("update", __name__)


@dataclass(frozen=True)
class UpdateRequest:
    """An update operation: the text and the protocol's dataset parameters."""

    text: str
    using: tuple[str, ...] = ()
    using_named: tuple[str, ...] = ()


@bp.route("/update", methods=["POST"])
def update() -> Response:
    """Apply a SPARQL 1.1 Update request."""
    require_writer(request.headers.get("Authorization"))
    deadline = request_deadline()
    parsed = read_update(request.mimetype, request.args.items(multi=True), request.get_data(),
                         request.mimetype_params.get("charset"))
    store = get_store()
    check(parsed.text, allow_service=get_settings().allow_service, deadline=deadline)
    text = with_using(parsed.text, parsed.using, parsed.using_named)
    write_graphs(store, lambda: update_change(store, text, base=request.base_url), services().shapes_validator(),
                 services().merged_validator())
    services().notify_write()
    return Response(status=204)


def read_update(content_type: str, args, body: bytes, charset: str | None) -> UpdateRequest:
    """The update of a POST: form-encoded `update=` or a direct `application/sparql-update` body."""
    params = list(args)
    text = _decode(body, charset)
    if content_type == FORM:
        params += parse_qsl(text, keep_blank_values=True)
    elif content_type == UPDATE:
        params.append(("update", text))
    else:
        raise UnsupportedMediaType(f"cannot read an update of type {content_type or '(none)'}; use {FORM} or {UPDATE}")
    names = {name for name, _ in params}
    if "query" in names:
        raise UsageError("a query was sent to the update endpoint; send queries to /sparql")
    updates = [value for name, value in params if name == "update"]
    if len(updates) != 1 or not updates[0].strip():
        raise UsageError(f"exactly one non-empty 'update' expected, got {len(updates)}")
    return UpdateRequest(
        text=updates[0],
        using=tuple(v for n, v in params if n == "using-graph-uri"),
        using_named=tuple(v for n, v in params if n == "using-named-graph-uri"),
    )
