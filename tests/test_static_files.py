"""The vendored front-end files are found by the static finders (and so by collectstatic and whitenoise)."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client


@pytest.mark.parametrize(
    "path",
    [
        "vendor/bootstrap/bootstrap.min.css",
        "vendor/bootstrap/bootstrap.bundle.min.js",
        "vendor/bootstrap-icons/bootstrap-icons.min.css",
        "vendor/htmx/htmx.min.js",
        "coso/coso.css",
    ],
)
def test_vendored_file_is_found(path):
    assert finders.find(path), f"{path} is not found by the static finders"


@pytest.mark.django_db
def test_every_stylesheet_and_script_of_the_login_page_exists():
    page = Client().get("/accounts/login/").content.decode()
    references = re.findall(r'(?:href|src)="/static/([^"?]+)"', page)
    assert references, "the login page links no static file"
    for path in references:
        assert finders.find(path), f"the login page links /static/{path}, which does not exist"


@pytest.mark.django_db
def test_the_api_docs_page_loads_swagger_from_our_static_files_not_a_cdn():
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert not re.search(r'(?:href|src)="(?:https?:)?//', page), (
        "the API docs page loads a file from another host"
    )
    assert "cdn." not in page and "unpkg" not in page
    references = re.findall(r'(?:href|src)="/static/([^"?]+)"', page)
    assert any(path.endswith("swagger-ui-bundle.js") for path in references)
    assert any(path.endswith("swagger-ui.css") for path in references)
    for path in references:
        assert finders.find(path), f"the API docs page links /static/{path}, which does not exist"
