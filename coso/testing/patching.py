"""Checks every PATCH route shares (issue 9 §12): a field the caller may not change is a 403 naming it, with
nothing saved; a PATCH that changes nothing keeps the version and the history; a real change bumps both."""

from __future__ import annotations

JSON = "application/json"


def _reloaded(obj):
    return type(obj)._default_manager.get(pk=obj.pk)


def assert_refused(client, url: str, obj, data: dict, field: str) -> None:
    before = _reloaded(obj)
    history = before.history.count()
    response = client.patch(url, data, content_type=JSON)
    assert response.status_code == 403, response.content
    body = response.json()
    assert body["code"] == "forbidden"
    assert field in body["fields"] and field in body["message"]
    after = _reloaded(obj)
    assert after.version == before.version and after.history.count() == history
    for name in data:
        if name != "version" and hasattr(before, name) and not callable(getattr(before, name)):
            assert getattr(after, name) == getattr(before, name), name


def assert_unchanged_keeps_version(client, url: str, obj, data: dict) -> None:
    before = _reloaded(obj)
    history = before.history.count()
    response = client.patch(url, data, content_type=JSON)
    assert response.status_code == 200, response.content
    assert response.json()["version"] == before.version
    after = _reloaded(obj)
    assert after.version == before.version and after.history.count() == history


def assert_change_bumps_version(client, url: str, obj, data: dict) -> None:
    before = _reloaded(obj)
    history = before.history.count()
    response = client.patch(url, data, content_type=JSON)
    assert response.status_code == 200, response.content
    after = _reloaded(obj)
    assert after.version == before.version + 1 and response.json()["version"] == after.version
    assert after.history.count() == history + 1
