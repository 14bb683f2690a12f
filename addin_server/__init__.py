"""TermScore for Word: the review API and the task pane it serves."""

from __future__ import annotations

import io
import logging
from pathlib import Path

from flask import Flask, Request, g, jsonify, redirect, send_from_directory
from flask_smorest import Api

from .config import Settings

ROOT = Path(__file__).resolve().parent.parent
TASKPANE_DIR = ROOT / "taskpane"


class _InMemoryUploadRequest(Request):
    """A request whose uploaded files stay in memory. Werkzeug spools an upload of more than 500 KB to
    a temporary file, and a contract must never reach the disk; the upload limit bounds the memory."""

    def _get_file_stream(self, total_content_length, content_type, filename=None, content_length=None):
        return io.BytesIO()


def create_app(settings: Settings | None = None) -> Flask:
    """The app factory: settings from the environment unless given."""
    from . import api as api_module
    from .api import errors
    from .playbook import default_playbook

    settings = settings or Settings.from_env()
    app = Flask(__name__, static_folder=None)
    app.request_class = _InMemoryUploadRequest
    app.config.update(
        TERMSCORE=settings,
        MAX_CONTENT_LENGTH=max(settings.max_body_bytes, settings.max_upload_bytes),
        API_TITLE="TermScore for Word",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api/v1",
        OPENAPI_JSON_PATH="openapi.json",
        JSON_SORT_KEYS=False,
    )
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    logging.getLogger("addin_server").setLevel(settings.log_level)
    default_playbook()  # validate the playbook at start-up: a bad rule file stops the server here
    from .service import warm_up
    warm_up()  # and load what every review needs now, not in the first user's request

    from .engine import budget

    @app.before_request
    def _start_budget():
        # Every request's review is bounded in CPU time, counted from here (the body's parsing too).
        g.termscore_budget = budget.start(settings.max_review_cpu_seconds)

    @app.teardown_request
    def _stop_budget(_exc=None):
        token = g.pop("termscore_budget", None)
        if token is not None:
            budget.stop(token)

    api = Api(app)
    api.register_blueprint(api_module.blp)
    errors.register(app)
    from . import security; security.init_app(app)

    @app.get("/healthz")
    def healthz():
        return jsonify({"status": "ok"})

    @app.get("/readyz")
    def readyz():
        playbook = default_playbook()
        return jsonify({"status": "ready", "rules": len(playbook.rules)})

    @app.get("/")
    def index():
        return redirect("/taskpane/taskpane.html")

    @app.get("/taskpane/<path:filename>")
    def taskpane(filename: str):
        return send_from_directory(TASKPANE_DIR, filename)

    return app
