"""Bearer-token access to the write endpoints; writing is off unless `write_token` is set.

401 with `WWW-Authenticate: Bearer` when no credentials (or another scheme) are sent, 403 for a
wrong token (RFC 6750), 403 as well when writing is not enabled at all. Tokens are compared in
constant time and never logged: the failure messages do not repeat what the client sent.
"""

from __future__ import annotations

import hmac

from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Forbidden, Unauthorized

from kg.web import get_settings

REALM = "kg"


def require_writer(authorization: str | None) -> None:
    """Raise unless `authorization` (the header's value) carries the configured write token."""
    token = get_settings().write_token
    if not token:
        raise Forbidden("writing is disabled on this service: no write_token is configured")
    scheme, _, credentials = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        challenge = WWWAuthenticate("bearer", {"realm": REALM})
        raise Unauthorized("this endpoint writes; send 'Authorization: Bearer <token>'", www_authenticate=challenge)
    if not hmac.compare_digest(credentials.strip().encode(), token.encode()):
        raise Forbidden("the bearer token is not valid for writing")
