"""Between IRIs and the URLs that serve them: the service may answer far from where its IRIs live.

IRIs are minted under `base_iri` (https://kg.example.org/...) while the service may run on
http://127.0.0.1:5000/ or behind a proxy at `public_base_url`. A request path is mapped to
`base_iri` + path, and an IRI under `base_iri` (or under the ontology's /def/ namespace) is
linked to the public URL + the same path, so pages link to this service rather than to a host
that may not exist yet.
"""

from __future__ import annotations

from flask import g, request

from kg.namespaces import KG
from kg.web import get_settings

DEF_ROOT = str(KG).split("def/", 1)[0] + "def/"  # https://kg.example.org/def/


def root() -> str:
    """The public URL the service answers on, ending with '/' (worked out once per request)."""
    if "kg_root" in g:
        return g.kg_root
    configured = get_settings().public_base_url
    url = configured or request.url_root
    g.kg_root = url if url.endswith("/") else url + "/"
    return g.kg_root


def base_iri() -> str:
    base = get_settings().base_iri
    return base if base.endswith("/") else base + "/"


def iri_for(path: str) -> str:
    """The IRI a request path names: base_iri + path (without the leading '/')."""
    return base_iri() + path.lstrip("/")


def _mapping() -> tuple[tuple[str, str], ...]:
    """(IRI namespace, public URL) pairs, worked out once per request: a page links thousands of IRIs."""
    if "kg_links" not in g:
        g.kg_links = ((DEF_ROOT, root() + "def/"), (base_iri(), root()))
    return g.kg_links


def url_for_iri(iri: str) -> str:
    """Where this service serves `iri`: its public URL when the IRI is kg's, else the IRI itself."""
    for namespace, public in _mapping():
        if iri.startswith(namespace):
            return public + iri[len(namespace) :]
    return iri
