"""The hard-task API: scoped list in fixed queries, detail with parts and allowed actions, create and edit with
field errors, transitions, progress updates with checked evidence."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coso.commitments.models import HardTask, HardTaskStatus

from .conftest import add_evidence, make_feedback, make_task, pdf_file

S = HardTaskStatus
JSON = "application/json"
pytestmark = pytest.mark.django_db


def test_the_list_is_scoped_and_costs_fixed_queries(client, world, django_assert_num_queries):
    client.force_login(world.commune_staff)
    make_task(world.cell_a, status=S.IN_PROGRESS)
    make_task(world.cell_d, status=S.IN_PROGRESS)  # outside C1
    client.get("/api/v1/commitments/")
    with CaptureQueriesContext(connection) as baseline:
        first = client.get("/api/v1/commitments/").json()
    assert first["count"] == 1
    for org in (world.cell_a, world.cell_b, world.commune):
        parent = make_task(org, status=S.IN_PROGRESS)
        for _ in range(3):
            make_task(org, parent=parent, status=S.REGISTERED, responsible=world.member_a_record)
    with django_assert_num_queries(len(baseline)):
        data = client.get("/api/v1/commitments/?page_size=100").json()
    assert data["count"] == 13


def test_the_list_reads_the_pages_filters(client, world):
    make_task(world.cell_a, status=S.IN_PROGRESS, due_date=dt.date(2020, 1, 1), year=2020)
    make_task(world.cell_a, status=S.VERIFIED)
    client.force_login(world.province_admin)
    data = client.get("/api/v1/commitments/?overdue=yes").json()
    assert [r["year"] for r in data["results"]] == [2020]
    assert data["results"][0]["overdue"] is True
    assert client.get("/api/v1/commitments/?status=VERIFIED").json()["count"] == 1
    bad = client.get("/api/v1/commitments/?status=NOPE")
    assert bad.status_code == 400 and "status" in bad.json()["fields"]


def test_detail_shows_parts_actions_and_linked_feedback(client, world, reported):
    make_task(world.cell_a, parent=reported, status=S.VERIFIED, title="Phần việc")
    feedback = make_feedback(world.commune, organization=world.cell_a)
    reported.feedback_items.add(feedback)
    client.force_login(world.commune_leader)
    data = client.get(f"/api/v1/commitments/{reported.pk}").json()
    assert [c["title"] for c in data["children"]] == ["Phần việc"]
    assert data["actions"] == ["verify", "return"]
    assert data["feedback_items"][0]["code"] == feedback.code


def test_create_answers_field_errors(client, world):
    client.force_login(world.secretary_a)
    response = client.post(
        "/api/v1/commitments/",
        {"organization": world.cell_a.pk, "title": "x", "due_date": "31/13/2026"},
        content_type=JSON,
    )
    assert response.status_code == 400 and "due_date" in response.json()["fields"]
    response = client.post(
        "/api/v1/commitments/",
        {
            "organization": world.cell_a.pk,
            "title": "x",
            "due_date": "2026-10-01",
            "responsible": world.member_d_record.pk,
        },
        content_type=JSON,
    )
    assert response.status_code == 422 and "responsible" in response.json()["fields"]
    outside = make_feedback(world.commune2, organization=world.cell_d)
    response = client.post(
        "/api/v1/commitments/",
        {
            "organization": world.cell_a.pk,
            "title": "x",
            "due_date": "2026-10-01",
            "feedback_items": [outside.pk],
        },
        content_type=JSON,
    )
    assert response.status_code == 422 and "feedback_items" in response.json()["fields"]
    assert not HardTask.objects.exists()


def test_create_a_part_of_a_larger_task(client, world):
    whole = make_task(world.commune, status=S.IN_PROGRESS)
    client.force_login(world.commune_staff)
    response = client.post(
        "/api/v1/commitments/",
        {"organization": world.cell_b.pk, "title": "Phần của chi bộ B", "due_date": "2026-10-01", "parent": whole.pk,
         "weight": 2},
        content_type=JSON,
    )  # fmt: skip
    assert response.status_code == 201
    assert response.json()["parent"] == {"id": whole.pk, "title": whole.title}
    assert HardTask.objects.get(pk=response.json()["id"]).root_id == whole.pk


def test_a_stale_edit_is_a_conflict(client, world, draft):
    client.force_login(world.secretary_a)
    ok = client.patch(f"/api/v1/commitments/{draft.pk}", {"version": 1, "title": "Mới"}, content_type=JSON)
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = client.patch(f"/api/v1/commitments/{draft.pk}", {"version": 1, "title": "Cũ"}, content_type=JSON)
    assert stale.status_code == 409


def test_transitions_through_the_api(client, world, submitted):
    client.force_login(world.commune_staff)
    url = f"/api/v1/commitments/{submitted.pk}/transitions"
    wrong = client.post(url, {"action": "verify"}, content_type=JSON)
    assert wrong.status_code == 422 and wrong.json()["code"] == "invalid_state"
    unknown = client.post(url, {"action": "explode"}, content_type=JSON)
    assert unknown.status_code == 422 and "action" in unknown.json()["fields"]
    no_reason = client.post(url, {"action": "return"}, content_type=JSON)
    assert no_reason.status_code == 422 and "reason" in no_reason.json()["fields"]
    accepted = client.post(url, {"action": "accept"}, content_type=JSON)
    assert accepted.status_code == 200 and accepted.json()["status"] == "REGISTERED"


def test_progress_updates_through_the_api(client, world, registered):
    client.force_login(world.secretary_a)
    url = f"/api/v1/commitments/{registered.pk}/updates"
    bad = client.post(
        url, {"date": "2026-01-02", "text": "x", "evidence": SimpleUploadedFile("a.exe", b"MZ\x90")}
    )
    assert bad.status_code == 422 and "evidence" in bad.json()["fields"]
    good = client.post(url, {"date": "02/01/2026", "text": "Đã làm", "progress": 25, "evidence": pdf_file()})
    assert good.status_code == 201 and good.json()["evidence_url"].endswith("/evidence/")
    listed = client.get(url).json()
    assert [u["progress"] for u in listed] == [25]
    assert client.get(f"/api/v1/commitments/{registered.pk}").json()["progress"] == 25


def test_the_organization_cannot_verify_its_own_task_through_the_api(client, world):
    own = make_task(world.commune, status=S.REPORTED_DONE)
    add_evidence(own)
    client.force_login(world.commune_leader)
    response = client.post(
        f"/api/v1/commitments/{own.pk}/transitions", {"action": "verify"}, content_type=JSON
    )
    assert response.status_code == 403
