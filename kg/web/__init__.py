"""The web application: `create_app()` builds it, as Flask's tutorial app does.

The store is opened once per process (an on-disk pyoxigraph store takes a lock, and one
process with threads serves it) and reached from views through `get_store()`.
"""

from __future__ import annotations

import atexit

from flask import Flask, current_app

from kg.config import Settings, load_settings
from kg.store import Store, open_store

_STORE_KEY = "kg.store"


def create_app(settings: Settings | None = None, *, store: Store | None = None) -> Flask:
    """Build the app; tests pass `settings` and usually an in-memory `store`."""
    settings = settings if settings is not None else load_settings()
    app = Flask(__name__)
    app.config.update(KG_SETTINGS=settings, MAX_CONTENT_LENGTH=settings.max_body_bytes)
    if store is None:
        store = open_store(settings)
        atexit.register(store.close)  # flush an on-disk store we opened when the process ends
    app.extensions[_STORE_KEY] = store
    from kg.web.services import start_services

    start_services(app, store, settings)  # the shared services blueprints reach through services()

    from kg.web import errors, sparql

    errors.init_app(app)
    app.register_blueprint(sparql.bp)
    from kg.web import queries

    app.register_blueprint(queries.bp)
    from kg.web import graphstore, ingest_api, update  # writes, behind the write token

    app.register_blueprint(update.bp)
    app.register_blueprint(graphstore.bp)
    app.register_blueprint(ingest_api.bp)
    from kg.web import dumps, pages, resources, void  # linked data

    app.register_blueprint(resources.bp)
    app.register_blueprint(dumps.bp)
    app.register_blueprint(void.bp)
    app.register_blueprint(pages.bp)
    from kg.web import browse, network, query_page, validation_page  # pages for analysts

    for blueprint in (query_page.bp, browse.bp, network.bp, validation_page.bp):
        app.register_blueprint(blueprint)
    return app


def get_store() -> Store:
    """The store of the app handling the current request."""
    return current_app.extensions[_STORE_KEY]


def get_settings() -> Settings:
    """The settings of the app handling the current request."""
    return current_app.config["KG_SETTINGS"]
