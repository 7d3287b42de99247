"""Conditional GET for whole-store documents (dumps, VoID): validators from the change marker.

A mirror or crawler that polls sends If-None-Match / If-Modified-Since and gets 304 before any
document is built, because the ETag and Last-Modified come from the store's change marker.
"""

from __future__ import annotations

from flask import Response, request

from kg.change_marker import Marker

DUMPS = {  # extension -> (media type, what it holds): the dumps /dump.<ext> serves and VoID lists
    "nq": ("application/n-quads", "all graphs"),
    "trig": ("application/trig", "all graphs"),
    "ttl": ("text/turtle", "the default graph"),
    "jsonld": ("application/ld+json", "the default graph"),
}


def conditional(response: Response, marker: Marker, variant: str) -> Response:
    """Set ETag and Last-Modified from `marker` and answer 304 when the client is up to date."""
    response.set_etag(marker.etag(variant))
    response.last_modified = marker.last_modified
    response.cache_control.public = True
    response.cache_control.no_cache = True  # may be stored, but revalidated each time: cheap with 304
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response.make_conditional(request)
