"""Property-based run over the whole JSON API (schemathesis), in-process against the WSGI app (issue 9 §7).

Every operation of the OpenAPI document is called with generated input, authenticated as committee staff of
the `world` tree: no answer may be a server error and every JSON body must match the documented schema (the
one ErrorOut for errors). Examples are bounded so that the run stays short on SQLite, and Hypothesis keeps no
example database, so a run leaves no files behind.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import translation
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from coso.accounts.models import ApiToken
from coso.api.api import api

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1"))
schema.app = WSGIHandler()

# Every status an operation answers is documented for it (error_codes_for in coso.api.api), with its body.
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def token(world, settings):
    settings.ALLOWED_HOSTS = ["*"]
    _, raw = ApiToken.issue(user=world.commune_staff, name="schemathesis")
    return raw


@pytest.fixture
def keep_test_connection():
    """Calls go through the real WSGI handler, not Django's test client, so Django would close the database
    connection at the end of each request: inside the test's transaction on PostgreSQL that closes the
    connection the test runs on. Django's test client disconnects the same receiver for the same reason."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
    # The real handler leaves the language of the last request (generated Accept-Language headers) active in
    # this thread; later tests of the same worker expect the default.
    translation.deactivate()


@pytest.mark.django_db
@pytest.mark.usefixtures("keep_test_connection")
@schema.parametrize()
# Derandomized: the same examples every run, so a red run is reproducible and CI never flickers.
@settings(
    max_examples=6, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck)
)
def test_api_operation(case, token):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"},
        checks=CHECKS,
        environ_base={"REMOTE_ADDR": "127.0.0.1"},
    )
