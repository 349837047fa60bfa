"""Hard-task services: registering, the transition table (allowed and forbidden moves), verification only by the
upper committee, progress updates with checked evidence, roll-up to the parent, linked feedback scope."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from coso.accounts.permissions import SYSTEM
from coso.commitments import services
from coso.commitments.models import HardTask, HardTaskStatus
from coso.core.exceptions import RuleViolation
from coso.notifications.models import Notification
from coso.testing.factories import make_member

from .conftest import add_evidence, make_feedback, make_task, pdf_file, photo_file

S = HardTaskStatus
pytestmark = pytest.mark.usefixtures("world")


def test_the_office_registers_a_draft_with_the_year_from_the_due_date(world):
    task = services.hard_task_create(
        actor=world.secretary_a,
        organization=world.cell_a,
        title="  Xóa nhà tạm cho hộ nghèo ",
        due_date=dt.date(2026, 10, 31),
        responsible=world.member_a_record,
    )
    assert task.status == S.DRAFT
    assert task.title == "Xóa nhà tạm cho hộ nghèo"
    assert task.year == 2026
    assert task.history.first().history_user == world.secretary_a


def test_a_member_cannot_register_and_an_outsider_does_not_see_the_organization(world):
    with pytest.raises(PermissionDenied):
        services.hard_task_create(
            actor=world.member_a, organization=world.cell_a, title="x", due_date=dt.date(2026, 5, 1)
        )
    with pytest.raises(Http404):
        services.hard_task_create(
            actor=world.secretary_b, organization=world.cell_a, title="x", due_date=dt.date(2026, 5, 1)
        )


def test_the_responsible_person_must_belong_to_the_organization(world):
    with pytest.raises(RuleViolation) as exc:
        services.hard_task_create(
            actor=world.commune_staff,
            organization=world.cell_a,
            title="x",
            due_date=dt.date(2026, 5, 1),
            responsible=world.member_b_record,
        )
    assert "responsible" in exc.value.fields


def test_a_part_must_belong_below_its_whole_and_not_be_due_after_it(world):
    whole = make_task(world.cell_a, due_date=dt.date(2026, 6, 30))
    with pytest.raises(RuleViolation) as exc:
        services.hard_task_create(
            actor=world.commune_staff,
            organization=world.cell_b,
            title="x",
            due_date=dt.date(2026, 5, 1),
            parent=whole,
        )
    assert "parent" in exc.value.fields
    with pytest.raises(RuleViolation) as exc:
        services.hard_task_create(
            actor=world.secretary_a,
            organization=world.cell_a,
            title="x",
            due_date=dt.date(2026, 7, 1),
            parent=whole,
        )
    assert "due_date" in exc.value.fields


def test_the_full_path_from_draft_to_solved_for_good(world, draft):
    task = services.hard_task_submit(actor=world.secretary_a, task=draft)
    assert task.status == S.SUBMITTED and task.submitted_at
    task = services.hard_task_accept(actor=world.commune_leader, task=task)
    assert task.status == S.REGISTERED and task.accepted_by == world.commune_leader
    with time_machine.travel(dt.datetime(2026, 3, 1, 10, 0), tick=False):
        services.hard_task_update_add(
            actor=world.secretary_a, task=task, date=dt.date(2026, 3, 1), text="Đã họp dân", progress=40
        )
    task.refresh_from_db()
    assert task.status == S.IN_PROGRESS and task.progress == 40
    with time_machine.travel(dt.datetime(2026, 6, 1, 10, 0), tick=False):
        services.hard_task_update_add(
            actor=world.secretary_a,
            task=task,
            date=dt.date(2026, 6, 1),
            text="Hoàn thành",
            progress=100,
            evidence=pdf_file(),
        )
    task = services.hard_task_report_done(actor=world.secretary_a, task=task)
    assert task.status == S.REPORTED_DONE
    task = services.hard_task_verify(actor=world.commune_staff, task=task, note="Đã kiểm tra thực tế")
    assert task.status == S.VERIFIED and task.progress == 100
    assert task.verified_by == world.commune_staff and task.verification_note == "Đã kiểm tra thực tế"


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (S.DRAFT, "accept"),
        (S.DRAFT, "verify"),
        (S.DRAFT, "report_done"),
        (S.SUBMITTED, "verify"),
        (S.SUBMITTED, "submit"),
        (S.REGISTERED, "verify"),
        (S.REGISTERED, "report_done"),
        (S.IN_PROGRESS, "accept"),
        (S.IN_PROGRESS, "verify"),
        (S.REPORTED_DONE, "report_done"),
        (S.REPORTED_DONE, "start"),
        (S.VERIFIED, "return"),
        (S.VERIFIED, "start"),
        (S.VERIFIED, "submit"),
    ],
)
def test_forbidden_transitions_are_refused(world, status, action):
    task = make_task(world.cell_a, status=status)
    with pytest.raises(RuleViolation) as exc:
        services.hard_task_transition(actor=world.province_admin, task=task, action=action, reason="lý do")
    assert exc.value.code == "invalid_state"
    task.refresh_from_db()
    assert task.status == status


@pytest.mark.parametrize(
    ("status", "action", "target"),
    [
        (S.DRAFT, "submit", S.SUBMITTED),
        (S.SUBMITTED, "accept", S.REGISTERED),
        (S.SUBMITTED, "return", S.RETURNED),
        (S.REGISTERED, "start", S.IN_PROGRESS),
        (S.REPORTED_DONE, "verify", S.VERIFIED),
        (S.REPORTED_DONE, "return", S.RETURNED),
    ],
)
def test_allowed_transitions_move_the_task(world, status, action, target):
    task = make_task(world.cell_a, status=status)
    add_evidence(task)
    task = services.hard_task_transition(actor=world.province_admin, task=task, action=action, reason="lý do")
    assert task.status == target


def test_a_task_returned_before_acceptance_is_submitted_again_and_one_returned_after_goes_back_to_work(world):
    early = services.hard_task_return(
        actor=world.commune_staff, task=make_task(world.cell_a, status=S.SUBMITTED), reason="Mục tiêu chưa rõ"
    )
    assert services.allowed_actions(world.secretary_a, early) == ["submit"]
    late = make_task(world.cell_a, status=S.REPORTED_DONE)
    add_evidence(late)
    late = services.hard_task_return(actor=world.commune_staff, task=late, reason="Còn 2 hộ chưa có nhà")
    assert late.returned_reason == "Còn 2 hộ chưa có nhà"
    assert services.allowed_actions(world.secretary_a, late) == ["start"]
    with pytest.raises(RuleViolation):
        services.hard_task_submit(actor=world.secretary_a, task=late)
    assert services.hard_task_start(actor=world.secretary_a, task=late).status == S.IN_PROGRESS


def test_returning_needs_a_reason(world, reported):
    with pytest.raises(RuleViolation) as exc:
        services.hard_task_return(actor=world.commune_staff, task=reported, reason="  ")
    assert "reason" in exc.value.fields
    reported.refresh_from_db()
    assert reported.status == S.REPORTED_DONE


def test_the_organization_cannot_verify_its_own_task(world):
    own = make_task(world.commune, status=S.REPORTED_DONE)
    add_evidence(own)
    for actor in (world.commune_staff, world.commune_leader):
        with pytest.raises(PermissionDenied):
            services.hard_task_verify(actor=actor, task=own)
    assert services.hard_task_verify(actor=world.province_admin, task=own).status == S.VERIFIED


def test_a_cell_secretary_cannot_accept_or_verify_and_the_upper_office_cannot_submit_for_the_cell(
    world, reported
):
    with pytest.raises(PermissionDenied):
        services.hard_task_verify(actor=world.secretary_a, task=reported)
    with pytest.raises(PermissionDenied):
        services.hard_task_accept(actor=world.secretary_a, task=make_task(world.cell_a, status=S.SUBMITTED))
    with pytest.raises(PermissionDenied):
        services.hard_task_submit(actor=world.commune_leader, task=make_task(world.cell_a))


def test_an_outsider_gets_not_found_on_transitions(world, reported):
    with pytest.raises(Http404):
        services.hard_task_verify(actor=world.secretary_b, task=reported)


def test_reporting_done_needs_evidence_and_every_part_verified(world, in_progress):
    with pytest.raises(RuleViolation):
        services.hard_task_report_done(actor=world.secretary_a, task=in_progress)
    add_evidence(in_progress)
    part = make_task(world.cell_a, parent=in_progress, status=S.IN_PROGRESS)
    with pytest.raises(RuleViolation) as exc:
        services.hard_task_report_done(actor=world.secretary_a, task=in_progress)
    assert "1" in str(exc.value.message)
    HardTask.objects.filter(pk=part.pk).update(status=S.VERIFIED)
    assert services.hard_task_report_done(actor=world.secretary_a, task=in_progress).status == S.REPORTED_DONE


def test_a_verified_part_moves_the_whole_task_progress(world):
    city = make_task(world.province, status=S.IN_PROGRESS)
    ward1 = make_task(world.commune, parent=city, status=S.REPORTED_DONE)
    make_task(world.commune2, parent=city, status=S.IN_PROGRESS, own_progress=20)
    add_evidence(ward1)
    services.hard_task_verify(actor=world.province_admin, task=ward1)
    city.refresh_from_db()
    assert city.progress == 60


def test_a_progress_update_rolls_up_to_every_ancestor(world):
    city = make_task(world.province, status=S.IN_PROGRESS)
    ward = make_task(world.commune, parent=city, status=S.IN_PROGRESS)
    cell = make_task(world.cell_a, parent=ward, status=S.REGISTERED)
    make_task(world.cell_b, parent=ward, status=S.IN_PROGRESS, weight=0, own_progress=0)
    with time_machine.travel(dt.datetime(2026, 4, 1, 10, 0), tick=False):
        services.hard_task_update_add(
            actor=world.secretary_a, task=cell, date=dt.date(2026, 4, 1), text="Xong nửa", progress=50
        )
    assert dict(HardTask.objects.values_list("pk", "progress")) == {
        city.pk: 50,
        ward.pk: 50,
        cell.pk: 50,
        HardTask.objects.get(organization=world.cell_b).pk: 0,
    }


def test_updates_are_refused_before_acceptance_and_after_reporting_done(world, submitted, reported):
    for task in (submitted, reported):
        with pytest.raises(RuleViolation):
            services.hard_task_update_add(
                actor=world.secretary_a, task=task, date=dt.date(2026, 1, 5), text="x"
            )


@time_machine.travel(dt.datetime(2026, 5, 1, 10, 0), tick=False)
def test_update_fields_are_checked(world, registered):
    with pytest.raises(RuleViolation) as exc:
        services.hard_task_update_add(
            actor=world.secretary_a, task=registered, date=dt.date(2026, 5, 2), text="", progress=120
        )
    assert set(exc.value.fields) == {"date", "text", "progress"}


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("virus.exe", b"MZ\x90\x00" + b"0" * 100),
        SimpleUploadedFile("gia-mao.pdf", b"MZ\x90\x00 not a pdf"),
        SimpleUploadedFile("anh.png", b"\xff\xd8\xff\xe0 jpeg named png"),
        SimpleUploadedFile("trang.html", b"<html><script>alert(1)</script></html>"),
        SimpleUploadedFile("lon.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024)),
    ],
    ids=["exe", "fake-pdf", "jpeg-named-png", "html", "too-large"],
)
def test_evidence_of_the_wrong_type_or_size_is_refused(world, registered, upload):
    with pytest.raises(RuleViolation) as exc:
        services.hard_task_update_add(
            actor=world.secretary_a, task=registered, date=dt.date(2026, 1, 5), text="x", evidence=upload
        )
    assert "evidence" in exc.value.fields
    assert not registered.updates.exists()


def test_a_photo_is_accepted_as_evidence(world, registered):
    update = services.hard_task_update_add(
        actor=world.secretary_a,
        task=registered,
        date=dt.date(2026, 1, 5),
        text="Ảnh hiện trường",
        evidence=photo_file(),
    )
    assert update.evidence_name == "anh.jpg" and update.evidence.size > 0


def test_edit_is_versioned_and_the_agreed_target_stays_after_acceptance(world, draft):
    from coso.core.exceptions import ConflictError

    task = services.hard_task_edit(
        actor=world.secretary_a,
        task=draft,
        data={"target_result": "100% chi bộ đạt"},
        expected_version=draft.version,
    )
    with pytest.raises(ConflictError):
        services.hard_task_edit(
            actor=world.secretary_a, task=task, data={"title": "Khác"}, expected_version=1
        )
    late = make_task(world.cell_a, status=S.RETURNED, target_result="A")
    with pytest.raises(RuleViolation) as exc:
        services.hard_task_edit(
            actor=world.secretary_a, task=late, data={"target_result": "B"}, expected_version=late.version
        )
    assert "target_result" in exc.value.fields
    with pytest.raises(RuleViolation):
        services.hard_task_edit(
            actor=world.secretary_a,
            task=make_task(world.cell_a, status=S.IN_PROGRESS),
            data={"title": "x"},
            expected_version=None,
        )


def test_linked_feedback_must_come_from_the_organizations_area(world):
    ours = make_feedback(world.commune, organization=world.cell_a)
    neighbours = make_feedback(world.commune, organization=world.cell_b)
    elsewhere = make_feedback(world.commune2, organization=world.cell_d)
    task = services.hard_task_create(
        actor=world.commune_staff,
        organization=world.cell_a,
        title="Giải quyết dứt điểm khiếu nại bồi thường",
        due_date=dt.date(2026, 9, 30),
        feedback_items=[ours],
    )
    assert list(task.feedback_items.all()) == [ours]
    for other in (neighbours, elsewhere):
        with pytest.raises(RuleViolation) as exc:
            services.hard_task_edit(
                actor=world.commune_staff,
                task=task,
                data={"feedback_items": [ours, other]},
                expected_version=None,
            )
        assert "feedback_items" in exc.value.fields
    assert list(task.feedback_items.all()) == [ours]


def test_the_other_side_is_notified_of_each_step(world, draft, django_capture_on_commit_callbacks):
    world.secretary_a.member = make_member(world.cell_a, full_name="Đỗ Thị Thư")
    world.secretary_a.save()
    HardTask.objects.filter(pk=draft.pk).update(responsible=world.secretary_a.member)
    draft.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        task = services.hard_task_submit(actor=world.secretary_a, task=draft)
    assert set(
        Notification.objects.filter(kind="commitments.submitted").values_list(
            "recipient__username", flat=True
        )
    ) == {
        "commune_staff",
        "commune_leader",
    }
    with django_capture_on_commit_callbacks(execute=True):
        services.hard_task_return(actor=world.commune_leader, task=task, reason="Chưa có mục tiêu cụ thể")
    returned = Notification.objects.get(kind="commitments.returned")
    assert returned.recipient == world.secretary_a
    assert "Chưa có mục tiêu cụ thể" in returned.body
    assert returned.url == f"/commitments/{task.pk}/"


def test_the_overdue_reminder_runs_twice_and_notifies_once(world):
    make_task(world.cell_a, status=S.IN_PROGRESS, due_date=dt.date(2026, 3, 31))
    first = services.hard_task_remind_overdue(today=dt.date(2026, 4, 2))
    again = services.hard_task_remind_overdue(today=dt.date(2026, 4, 3))
    assert first == 3  # cell A's secretary, the commune's staff and leader
    assert again == 0


def test_the_system_actor_can_do_everything(world):
    task = services.hard_task_create(
        actor=SYSTEM, organization=world.province, title="x", due_date=dt.date(2026, 5, 1)
    )
    task = services.hard_task_submit(actor=SYSTEM, task=task)
    assert services.hard_task_accept(actor=SYSTEM, task=task).status == S.REGISTERED


def test_the_overdue_command_is_idempotent(world):
    import io

    from django.core.management import call_command

    make_task(world.cell_a, status=S.IN_PROGRESS, due_date=dt.date(2026, 3, 31))
    out = io.StringIO()
    call_command("commitments_overdue", "--today", "2026-04-02", stdout=out)
    call_command("commitments_overdue", "--today", "2026-04-02", stdout=out)
    assert "3 notification(s)" in out.getvalue() and "0 notification(s)" in out.getvalue()
    assert Notification.objects.filter(kind="commitments.overdue").count() == 3
