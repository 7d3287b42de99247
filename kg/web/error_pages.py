"""Errors as a browser sees them: a page in the site's layout, where a program gets the JSON body.

Who is a browser is read from `Accept`: HTML must be asked for by name and preferred to JSON
(a browser sends `text/html,...,*/*;q=0.8`; a program sending `*/*`, nothing, or
`application/json` gets JSON). The page says what went wrong in the same words as the JSON
body and leads back into the site; a 404 offers to search for the last word of the path.
"""

from __future__ import annotations

from flask import Response, render_template, request
from werkzeug.http import HTTP_STATUS_CODES

from kg.web.links import root

HTML, JSON = "text/html", "application/json"


def wants_html(status: int) -> bool:
    """True when the client names HTML in `Accept` and prefers it to JSON, for any error but a 406.

    A 406 says the resource has no HTML form (a SPARQL result asked for as text/html); its body
    lists the formats there are, so it stays the JSON every endpoint answers.
    """
    if status == 406:
        return False
    accepted = request.accept_mimetypes
    named = any(value in (HTML, "application/xhtml+xml") for value, _ in accepted)
    return named and accepted.best_match([JSON, HTML]) == HTML and accepted[HTML] > accepted[JSON]


def _guess(path: str) -> str:
    """Words to search for from a path that was not found: its last segment, dashes as spaces."""
    last = path.rstrip("/").rsplit("/", 1)[-1]
    return last.rsplit(".", 1)[0].replace("-", " ").replace("_", " ")


def error_page(status: int, kind: str, message: str) -> Response:
    """The HTML page for an error with this status, kind (the JSON body's `error`) and message."""
    body = render_template("error.html", root=root(), status=status, kind=kind, message=message,
                           title=HTTP_STATUS_CODES.get(status, "Error"), guess=_guess(request.path))
    return Response(body, status=status, mimetype=HTML)
