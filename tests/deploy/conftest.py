"""Fixtures for the deployment tests: apps with given settings, and a real gunicorn on loopback."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from addin_server import create_app  # noqa: E402
from addin_server.config import Settings  # noqa: E402
from deploy_harness import Gunicorn  # noqa: E402


@pytest.fixture()
def make_client():
    def _make(**overrides):
        overrides.setdefault("rate_limit", "off")
        return create_app(Settings(**overrides)).test_client()
    return _make


@pytest.fixture()
def gunicorn(tmp_path):
    started: list[Gunicorn] = []

    def _start(**env) -> Gunicorn:
        server = Gunicorn(tmp_path, {f"TERMSCORE_{k.upper()}": str(v) for k, v in env.items()})
        started.append(server)
        return server

    yield _start
    for server in started:
        server.stop()
