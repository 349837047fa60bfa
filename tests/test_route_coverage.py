"""Every route of the project is in some app's permission matrix.

Walks the URL resolver for every named pattern (and django-ninja for every API operation), collects the `CASES`
of every `coso/*/tests/test_matrix*.py`, and fails listing the routes no case covers. A new page or API
operation therefore cannot ship without its row of expected statuses for each persona.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

import coso
from coso.api.api import api

PACKAGE_DIR = Path(coso.__file__).resolve().parent
# Not ours to matrix: Django's admin (superusers only, its own permission system) and the language switch.
IGNORED_NAMESPACES = {"admin"}
IGNORED_NAMES = {"set_language"}


def _walk(patterns, namespace: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def project_routes() -> set[str]:
    routes = set()
    for name in _walk(get_resolver().url_patterns):
        if name.split(":")[0] in IGNORED_NAMESPACES or name in IGNORED_NAMES:
            continue
        routes.add(name)
    return routes


def api_operations() -> set[str]:
    names = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                names.add(f"{api.urls_namespace}:{operation.url_name}")
    return names


def matrix_modules() -> list[str]:
    return sorted(
        ".".join(path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts)
        for path in PACKAGE_DIR.glob("*/tests/test_matrix*.py")
    )


def covered_routes() -> set[str]:
    covered = set()
    for module_name in matrix_modules():
        module = importlib.import_module(module_name)
        covered |= {case.route for case in getattr(module, "CASES", [])}
    return covered


def test_every_api_operation_has_a_url_name():
    missing = {name for name in api_operations() if name.endswith(":None") or name.endswith(":")}
    assert not missing, f"API operations without url_name: {sorted(missing)}"


def test_the_walk_finds_the_routes_it_should():
    routes = project_routes() | api_operations()
    assert {
        "core:home",
        "accounts:access_log",
        "members:list",
        "orgs:tree",
        "api:member_list",
        "api:me",
    } <= routes
    assert not any(name.startswith("admin:") for name in routes)


def test_every_route_is_in_a_permission_matrix():
    routes = project_routes() | api_operations()
    missing = routes - covered_routes()
    assert not missing, (
        f"{len(missing)} routes without a permission-matrix case (add them to a coso/<app>/tests/test_matrix*.py "
        f"CASES list): {sorted(missing)}"
    )


def test_matrix_cases_name_existing_routes():
    unknown = covered_routes() - project_routes() - api_operations()
    assert not unknown, f"matrix cases for routes that do not exist: {sorted(unknown)}"
