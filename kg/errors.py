"""One family of errors, each carrying the HTTP status and the CLI exit code it maps to.

The web layer and the CLI both turn a `KgError` into their own answer (a JSON error body, or
a message on stderr and an exit code), so a failure reads the same wherever it surfaces.
"""

from __future__ import annotations


class KgError(Exception):
    """Base of every error kg raises on purpose."""

    status = 500
    exit_code = 1
    kind = "error"
    # Whether the message names internals (hosts, paths) a public web client must not see.
    internal = False
    public_message = "the service failed; the cause is in the server log"

    def __init__(self, message: str, *, detail: object | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail

    def to_dict(self) -> dict:
        body: dict = {"error": self.kind, "message": self.message}
        if self.detail is not None:
            body["detail"] = self.detail
        return body


class UsageError(KgError):
    """The caller asked for something that makes no sense (bad option, unknown format)."""

    status = 400
    exit_code = 2
    kind = "usage"


class ConfigError(KgError):
    """kg is set up wrongly: a folder it needs (ontology, shapes) is missing or empty, a bad setting."""

    exit_code = 2
    kind = "config"
    internal = True  # names paths on the server


class InputError(KgError):
    """An input (article file, RDF file, request body) cannot be read; names what and where."""

    status = 400
    exit_code = 2
    kind = "input"


class QuerySyntaxError(KgError):
    """A SPARQL query or update does not parse; carries the parser's message."""

    status = 400
    exit_code = 2
    kind = "query-syntax"


class QueryRefused(KgError):
    """A query asks for something this service will not do (e.g. reach the network)."""

    status = 403
    exit_code = 2
    kind = "query-refused"


class NotAcceptable(KgError):
    """No representation matches the client's Accept header."""

    status = 406
    exit_code = 2
    kind = "not-acceptable"


class ValidationFailed(KgError):
    """A graph does not conform to the shapes; `detail` holds the validation result."""

    status = 422
    exit_code = 1
    kind = "validation"


class StoreLocked(KgError):
    """Another process holds the on-disk store for writing."""

    status = 503
    exit_code = 3
    kind = "store-locked"


class StoreClosedError(KgError):
    """A store object was used after `close()`: a bug in the caller, named instead of a RocksDB error."""

    exit_code = 1
    kind = "store-closed"


class NotFound(KgError):
    status = 404
    exit_code = 1
    kind = "not-found"


class QueryTimeout(KgError):
    """A query ran past the `query_timeout` setting and was stopped."""

    status = 503
    exit_code = 3
    kind = "query-timeout"


class ResultTooLarge(QueryRefused):
    """A query's answer is larger than the `max_result_bytes` setting allows."""

    kind = "result-too-large"


class ShapesError(KgError):
    """The shapes graph itself is broken (a constraint pySHACL refuses)."""

    exit_code = 2
    kind = "shapes"


class StoreUnavailable(KgError):
    """The external store cannot be reached, or did not answer in time."""

    status = 503
    exit_code = 3
    kind = "store-unavailable"
    internal = True
    public_message = "the backing store cannot be reached; try again later"


class StoreFailed(KgError):
    """The external store answered a request with an error status."""

    status = 502
    exit_code = 3
    kind = "store-error"
    internal = True
    public_message = "the backing store answered with an error; the cause is in the server log"


class StoreReadOnly(KgError):
    """A write was asked of a store opened read-only (or with no update endpoint)."""

    status = 403
    exit_code = 2
    kind = "store-read-only"


class UnsupportedMediaType(KgError):
    """A POST body comes in a media type the query operation does not read."""

    status = 415
    exit_code = 2
    kind = "unsupported-media-type"


class UpdateRefused(KgError):
    """A SPARQL Update was sent to the query endpoint; updates have their own endpoint."""

    status = 400
    exit_code = 2
    kind = "update-refused"


class MissingQuery(UsageError):
    """The request carries no query (a Service Description will answer this later)."""

    kind = "missing-query"


class TooDeep(KgError):
    """A request nests deeper than the parser can safely recurse."""

    status = 400
    exit_code = 2
    kind = "too-deep"


class PageAnswerTooLarge(KgError):
    """A query typed on the query page answers more than the page shows (use /sparql for it)."""

    status = 413
    kind = "too-large-for-page"


class UnsupportedShapes(ShapesError):
    """The shapes use a SHACL construct (or a form of one) that the compiler does not implement."""
