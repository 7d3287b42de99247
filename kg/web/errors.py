"""One JSON error body for every failure the web layer answers; a browser gets it as a page.

A `KgError` says its own status and kind; Werkzeug's HTTP errors (404, 405, 413) are given the
same shape; anything unexpected becomes a 500 whose body hides the cause (Flask has already
logged it with its traceback). A client that asks for HTML before JSON (a browser) gets the same
kind and message as a page in the site's layout (kg.web.error_pages); programs get the JSON.
"""

from __future__ import annotations

import json

from flask import Flask, Response, current_app, request
from werkzeug.exceptions import HTTPException, InternalServerError

from kg.errors import KgError
from kg.web.error_pages import error_page, wants_html

JSON = "application/json"


def error_body(kind: str, message: str, **extra: object) -> dict:
    """The error body every endpoint uses: {"error": kind, "message": ...}, plus any detail."""
    return {"error": kind, "message": message, **extra}


def handle_kg_error(exc: KgError) -> Response:
    """Answer a deliberate failure with its own status and body.

    A client error is logged at info; one whose message names internals (an external store's
    URL) is logged as a warning and answered with its public message only.
    """
    if exc.internal:
        current_app.logger.warning("%s %s -> %s: %s", request.method, request.path, exc.status, exc.message)
        body = error_body(exc.kind, exc.public_message)
    else:
        current_app.logger.info("%s %s -> %s: %s", request.method, request.path, exc.status, exc.message)
        body = exc.to_dict()
    if wants_html(exc.status):
        return error_page(exc.status, body["error"], body["message"])
    return Response(json.dumps(body), status=exc.status, mimetype=JSON)


def handle_http_error(exc: HTTPException) -> Response:
    """Keep Werkzeug's status and headers (e.g. `Allow` on a 405) but answer in JSON."""
    response = exc.get_response()
    kind = (exc.name or "error").lower().replace(" ", "-")
    if wants_html(response.status_code):
        page = error_page(response.status_code, kind, exc.description or exc.name)
        for name in ("Allow", "Retry-After", "WWW-Authenticate"):
            if name in response.headers:
                page.headers[name] = response.headers[name]
        return page
    response.set_data(json.dumps(error_body(kind, exc.description or exc.name)))
    response.mimetype = JSON
    return response


def handle_internal_error(exc: InternalServerError) -> Response:
    """Answer an unexpected failure without leaking its details; Flask logged the traceback."""
    body = error_body("internal", "internal server error; the cause is in the server log")
    if wants_html(500):
        return error_page(500, body["error"], body["message"])
    return Response(json.dumps(body), status=500, mimetype=JSON)


def init_app(app: Flask) -> None:
    """Register the handlers on `app`."""
    app.register_error_handler(KgError, handle_kg_error)
    app.register_error_handler(InternalServerError, handle_internal_error)
    app.register_error_handler(HTTPException, handle_http_error)
