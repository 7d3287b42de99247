"""Settings: defaults, then KG_* environment variables, then explicit overrides.

This is the only module that reads the environment, so every setting is listed here once
with its default and what it is for.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    store: str = "data/store"  # on-disk pyoxigraph store; ":memory:" for a throwaway one
    base_iri: str = "https://kg.example.org/"  # namespace of every IRI the loader mints
    # ontology modules and reference data, and the SHACL shapes
    ontology_dir: Path = PROJECT_ROOT / "ontology"
    shapes_dir: Path = PROJECT_ROOT / "shapes"
    host: str = "127.0.0.1"  # interface `kg serve` listens on
    port: int = 5000  # port `kg serve` listens on
    threads: int = 8  # waitress worker threads; one process owns the store
    query_timeout: float = 30.0  # seconds a query may run
    max_body_bytes: int = 10 * 1024 * 1024  # largest request body accepted (413 beyond)
    # An external SPARQL 1.1 store instead of the embedded one: set `store` to its base URL
    # (http://host:7878 for `oxigraph serve`: /query, /update, /store), or name each endpoint.
    store_query_url: str | None = None  # SPARQL 1.1 Protocol query endpoint
    store_update_url: str | None = None  # SPARQL 1.1 Update endpoint
    store_data_url: str | None = None  # Graph Store HTTP Protocol endpoint (optional)
    store_timeout: float = 60.0  # seconds to wait for the external store's answer

    # SPARQL service safety and writes (issue 5):
    allow_service: bool = False  # let queries use SERVICE and updates LOAD; both reach the network
    max_result_bytes: int = 1 << 30  # a query answer larger than this (serialized) stops with an error
    write_token: str | None = field(default=None, repr=False)  # Bearer token enabling writes; unset = read-only
    # Linked data: the public URL at which base_iri's paths are served (e.g. https://kg.example.org/
    # behind a proxy); unset = the URL each request came in on. Pages and VoID link to it.
    public_base_url: str | None = None

    def with_overrides(self, **overrides: object) -> Settings:
        """Return a copy with the given (non-None) settings replaced."""
        clean = {k: v for k, v in overrides.items() if v is not None}
        return replace(self, **clean)


def _coerce(value: str, default: object) -> object:
    if isinstance(default, bool):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(value)
    if isinstance(default, float):
        return float(value)
    if isinstance(default, Path):
        return Path(value)
    return value


def load_settings(**overrides: object) -> Settings:
    """Build settings from defaults, KG_<NAME> environment variables and overrides."""
    base = Settings()
    from_env: dict[str, object] = {}
    for f in fields(Settings):
        raw = os.environ.get(f"KG_{f.name.upper()}")
        if raw is not None:
            from_env[f.name] = _coerce(raw, getattr(base, f.name))
    return base.with_overrides(**from_env).with_overrides(**overrides)
