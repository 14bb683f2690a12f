import pytest

from addin_server import create_app
from addin_server.config import Settings


@pytest.fixture(scope="session")
def app():
    return create_app(Settings(rate_limit=""))


@pytest.fixture()
def client(app):
    return app.test_client()
