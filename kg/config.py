"""Settings: defaults, then KG_* environment variables, then explicit overrides.

This is the only module that reads the environment, so every setting is listed here once
with its default and what it is for.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from importlib import resources
from pathlib import Path

from kg.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def packaged_folder(name: str) -> Path:
    """The folder of the package `kg.<name>` ('ontology' or 'shapes'), wherever kg is installed.

    In a checkout (editable install) it is the top-level folder of that name; in a wheel it is
    inside the installed package. Without an installed kg at all (a bare checkout on sys.path)
    it falls back to the checkout's folder, which `turtle_files` then checks.
    """
    try:
        return Path(str(resources.files(f"kg.{name}")))
    except ModuleNotFoundError:
        return PROJECT_ROOT / name


def turtle_files(folder: Path, what: str) -> list[Path]:
    """The .ttl files of a folder that must hold some: a missing or empty folder is an error, never nothing."""
    folder = Path(folder)
    setting = {"ontology": "KG_ONTOLOGY_DIR", "shapes": "KG_SHAPES_DIR"}.get(what, "")
    hint = f" (set {setting} to the folder that holds them)" if setting else ""
    if not folder.is_dir():
        raise ConfigError(f"the {what} folder {folder} does not exist or is not a folder{hint}")
    try:
        found = sorted(p for p in folder.iterdir() if p.suffix == ".ttl" and p.is_file())
    except OSError as exc:
        raise ConfigError(f"the {what} folder {folder} cannot be read: {exc.strerror or exc}{hint}") from exc
    if not found:
        raise ConfigError(f"the {what} folder {folder} holds no .ttl files{hint}")
    return found


@dataclass(frozen=True)
class Settings:
    store: str = "data/store"  # on-disk pyoxigraph store; ":memory:" for a throwaway one
    base_iri: str = "https://kg.example.org/"  # namespace of every IRI the loader mints
    # ontology modules and reference data, and the SHACL shapes: package data (kg.ontology, kg.shapes)
    ontology_dir: Path = field(default_factory=lambda: packaged_folder("ontology"))
    shapes_dir: Path = field(default_factory=lambda: packaged_folder("shapes"))
    host: str = "127.0.0.1"  # interface `kg serve` listens on
    port: int = 5000  # port `kg serve` listens on
    threads: int = 8  # waitress worker threads; one process owns the store
    query_timeout: float = 30.0  # seconds a query may run
    # added to the query worker processes' CPU niceness: under load the serving process (writes,
    # small queries answered in it) gets the cores first; 0 for equal priority (README, Reliability)
    query_nice: int = 10
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
    # Extraction knowledge (issue 9): a folder of extra *.tsv files (titles.tsv, honorifics.tsv, ...)
    # whose rows are added to the shipped lists in kg/extract/knowledge/; unset = shipped lists only.
    knowledge_dir: str | None = None

    def with_overrides(self, **overrides: object) -> Settings:
        """Return a copy with the given (non-None) settings replaced."""
        clean = {k: v for k, v in overrides.items() if v is not None}
        return replace(self, **clean)


def _coerce(name: str, value: str, default: object) -> object:
    """The environment variable `name`'s text as the setting's type; a ConfigError naming it if it is not."""
    if isinstance(default, bool):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    try:
        if isinstance(default, int):
            return int(value)
        if isinstance(default, float):
            return float(value)
    except ValueError:
        kind = "a whole number" if isinstance(default, int) else "a number"
        raise ConfigError(f"{name}={value!r} is not {kind}") from None
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
            from_env[f.name] = _coerce(f"KG_{f.name.upper()}", raw, getattr(base, f.name))
    settings = base.with_overrides(**from_env).with_overrides(**overrides)
    if not 0 <= settings.port <= 65535:
        raise ConfigError(f"KG_PORT={settings.port} is not a TCP port (0 to 65535)")
    if not 0 <= settings.query_nice <= 19:  # raising a process's priority needs privileges
        raise ConfigError(f"KG_QUERY_NICE={settings.query_nice} is not a niceness to add (0 to 19)")
    return settings
