"""The feedback workflow: every transition, the forbidden ones, deadlines across Tết, evidence, reopening."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.http import Http404

from coso.citizens import services
from coso.citizens.models import Feedback, FeedbackKind, FeedbackStatus, UpdateKind
from coso.core.exceptions import RuleViolation

from .conftest import answered, assign, file_report, pdf_file, photo_file

VN = ZoneInfo("Asia/Ho_Chi_Minh")
S = FeedbackStatus


def test_public_report_is_received_by_the_commune_with_a_readable_code(world, roads):
    item = file_report(world, roads)
    assert item.status == S.RECEIVED
    assert item.receiving_org == world.commune
    assert len(item.code) == 9 and item.code[4] == "-"
    assert not set(item.code.replace("-", "")) & set("01OIL")
    assert item.updates.get().kind == UpdateKind.RECEIVED


def test_routing_rule_picks_the_deepest_area_and_the_named_category(world, roads, order_cat):
    from coso.citizens.models import RoutingRule

    RoutingRule.objects.create(category=None, area=world.commune, responsible=world.commune)
    RoutingRule.objects.create(category=roads, area=world.cell_a, responsible=world.cell_a)
    RoutingRule.objects.create(category=None, area=world.cell_a, responsible=world.cell_b)
    assert services.route(category=roads, area=world.cell_a) == world.cell_a
    assert services.route(category=order_cat, area=world.cell_a) == world.cell_b
    assert services.route(category=order_cat, area=world.cell_b) == world.commune
    assert services.route(category=order_cat, area=world.cell_d) is None


@time_machine.travel(dt.datetime(2027, 2, 1, 9, 0, tzinfo=VN), tick=False)
def test_report_deadline_counts_ten_working_days_across_tet(world, roads):
    item = file_report(world, roads)
    # 01/02/2027 + 10 working days, Tết 04–10/02 and weekends skipped: Monday 22/02, end of the day.
    assert item.deadline_at == dt.datetime(2027, 2, 22, 17, 0, tzinfo=VN)


@time_machine.travel(dt.datetime(2027, 2, 1, 9, 0, tzinfo=VN), tick=False)
def test_several_units_give_fifteen_working_days(world, roads):
    item = file_report(world, roads, several_units=True)
    assert item.deadline_at == dt.datetime(2027, 3, 1, 17, 0, tzinfo=VN)


@time_machine.travel(dt.datetime(2027, 2, 3, 15, 0, tzinfo=VN), tick=False)
def test_urgent_category_counts_working_hours_across_tet(world, roads):
    roads.deadline_working_hours = 4
    roads.save()
    item = file_report(world, roads)
    # Wednesday 15:00: 2 h left that day, Tết from Thursday, then 2 h on Thursday 11/02.
    assert item.deadline_at == dt.datetime(2027, 2, 11, 9, 30, tzinfo=VN)


def test_complaint_deadlines_follow_the_law(world, land):
    with time_machine.travel(dt.datetime(2027, 1, 4, 9, 0, tzinfo=VN), tick=False):
        item = file_report(world, land)
        assert item.kind == FeedbackKind.COMPLAINT
        # Accept within 10 days: 14/01/2027.
        assert item.deadline_at.date() == dt.date(2027, 1, 14)
    with time_machine.travel(dt.datetime(2027, 1, 8, 9, 0, tzinfo=VN), tick=False):
        item = assign(world, item)
        # 30 days from acceptance on 08/01 is Sunday 07/02 (Tết): moves to Thursday 11/02.
        assert timezone_date(item.deadline_at) == dt.date(2027, 2, 11)
        item = services.feedback_extend(actor=world.secretary_a, feedback=item, reason="Vụ việc phức tạp")
        assert item.is_complex
        assert timezone_date(item.deadline_at) == dt.date(2027, 2, 22)  # 45 days: Monday 22/02
        with pytest.raises(RuleViolation):
            services.feedback_extend(actor=world.secretary_a, feedback=item, reason="Lần nữa")


def test_remote_complex_complaint_gets_sixty_days(world, land):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=VN), tick=False):
        item = services.feedback_assign(
            actor=world.commune_staff,
            feedback=file_report(world, land),
            organization=world.commune,
            remote_area=True,
            is_complex=True,
        )
    assert timezone_date(item.deadline_at) == dt.date(2026, 5, 4)  # 01/05 holiday, 02–03 weekend


def test_denunciation_extends_once_when_complex_and_twice_only_when_especially_complex(world, order_cat):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=VN), tick=False):
        item = assign(world, file_report(world, order_cat, kind=FeedbackKind.DENUNCIATION))
        assert timezone_date(item.deadline_at) == dt.date(2026, 4, 1)
        item = services.feedback_extend(actor=world.secretary_a, feedback=item, reason="Phức tạp")
        assert timezone_date(item.deadline_at) == dt.date(2026, 5, 4)  # 01/05 holiday, weekend
        with pytest.raises(RuleViolation) as exc:
            services.feedback_extend(actor=world.secretary_a, feedback=item, reason="Chưa xong")
        assert exc.value.code == "extension_needs_especially_complex"
        item = services.feedback_extend(
            actor=world.secretary_a, feedback=item, reason="Đặc biệt phức tạp", especially_complex=True
        )
        assert item.extensions == 2 and item.especially_complex
        with pytest.raises(RuleViolation) as exc:
            services.feedback_extend(actor=world.secretary_a, feedback=item, reason="Lần ba")
        assert exc.value.code == "extension_limit"
    assert item.updates.filter(kind=UpdateKind.EXTENDED).count() == 2


def timezone_date(value):
    from django.utils import timezone

    return timezone.localtime(value).date()


def test_full_path_received_assigned_in_progress_answered_rated_closed(world, roads, routing):
    item = file_report(world, roads)
    item = assign(world, item, org=services.route(category=roads, area=world.cell_a))
    assert (item.status, item.organization) == (S.ASSIGNED, world.cell_a)
    item = services.feedback_start(actor=world.secretary_a, feedback=item)
    assert item.status == S.IN_PROGRESS and item.handler == world.secretary_a
    item = services.feedback_answer(
        actor=world.secretary_a, feedback=item, answer="Đã thay bóng đèn.", files=[photo_file()]
    )
    assert item.status == S.ANSWERED and item.answered_at
    item = services.feedback_rate(feedback=item, rating=5, comment="Cảm ơn")
    assert item.status == S.CLOSED and item.rating == 5
    kinds = list(item.updates.values_list("kind", flat=True))
    assert kinds == ["RECEIVED", "ASSIGNED", "STARTED", "ANSWERED", "RATED"]
    assert item.history.count() >= 4


def test_answer_without_the_photo_the_category_asks_for_is_refused(world, roads):
    item = assign(world, file_report(world, roads))
    with pytest.raises(RuleViolation) as exc:
        services.feedback_answer(actor=world.secretary_a, feedback=item, answer="Đã sửa.", files=[pdf_file()])
    assert exc.value.code == "evidence_required" and "files" in exc.value.fields
    assert Feedback.objects.get(pk=item.pk).status == S.ASSIGNED


def test_text_only_category_can_be_answered_and_closed_without_files(world, order_cat):
    item = assign(world, file_report(world, order_cat))
    item = services.feedback_answer(actor=world.secretary_a, feedback=item, answer="Công an đã xử lý.")
    item = services.feedback_close(actor=world.commune_staff, feedback=item)
    assert item.status == S.CLOSED


def test_answer_requires_text(world, order_cat):
    item = assign(world, file_report(world, order_cat))
    with pytest.raises(RuleViolation) as exc:
        services.feedback_answer(actor=world.secretary_a, feedback=item, answer="  ")
    assert "answer" in exc.value.fields


@pytest.mark.parametrize(
    ("service", "status"),
    [
        ("start", S.RECEIVED),
        ("answer", S.RECEIVED),
        ("close", S.RECEIVED),
        ("close", S.IN_PROGRESS),
        ("rate", S.IN_PROGRESS),
        ("reopen", S.IN_PROGRESS),
        ("assign", S.ANSWERED),
        ("reject", S.ANSWERED),
        ("answer", S.CLOSED),
        ("start", S.REJECTED),
        ("reopen", S.REJECTED),
        ("reopen", S.TRANSFERRED),
        ("answer", S.TRANSFERRED),
    ],
)
def test_forbidden_transitions_are_refused(world, order_cat, service, status):
    item = file_report(world, order_cat)
    Feedback.objects.filter(pk=item.pk).update(status=status, organization=world.cell_a, answer="x")
    item.refresh_from_db()
    calls = {
        "start": lambda: services.feedback_start(actor=world.commune_staff, feedback=item),
        "answer": lambda: services.feedback_answer(
            actor=world.commune_staff, feedback=item, answer="Trả lời"
        ),
        "close": lambda: services.feedback_close(actor=world.commune_staff, feedback=item),
        "rate": lambda: services.feedback_rate(feedback=item, rating=4),
        "reopen": lambda: services.feedback_reopen(feedback=item, text="Vẫn hỏng"),
        "assign": lambda: services.feedback_assign(
            actor=world.commune_staff, feedback=item, organization=world.cell_a
        ),
        "reject": lambda: services.feedback_reject(actor=world.commune_staff, feedback=item, reason="Không"),
    }
    with pytest.raises(RuleViolation) as exc:
        calls[service]()
    assert exc.value.code == "invalid_transition"
    assert Feedback.objects.get(pk=item.pk).status == status


def test_rejection_requires_a_reason_the_citizen_reads(world, order_cat):
    item = file_report(world, order_cat)
    with pytest.raises(RuleViolation) as exc:
        services.feedback_reject(actor=world.commune_staff, feedback=item, reason="")
    assert "reason" in exc.value.fields
    item = services.feedback_reject(actor=world.commune_staff, feedback=item, reason="Không thuộc thẩm quyền")
    assert item.status == S.REJECTED
    assert item.updates.filter(public=True, kind=UpdateKind.REJECTED, text="Không thuộc thẩm quyền").exists()


def test_reassign_to_another_cell_shows_the_reason(world, order_cat):
    item = assign(world, file_report(world, order_cat))
    item = services.feedback_reassign(
        actor=world.secretary_a, feedback=item, organization=world.cell_b, reason="Địa bàn khu vực 2"
    )
    assert item.organization == world.cell_b and item.status == S.ASSIGNED
    assert item.updates.filter(kind=UpdateKind.REASSIGNED, public=True, text="Địa bàn khu vực 2").exists()
    with pytest.raises(RuleViolation):
        services.feedback_reassign(
            actor=world.commune_staff, feedback=item, organization=world.cell_d, reason="x"
        )


def test_transfer_to_the_competent_authority_is_final(world, order_cat):
    item = assign(world, file_report(world, order_cat))
    item = services.feedback_transfer(
        actor=world.secretary_a,
        feedback=item,
        authority="UBND phường Vị Tân",
        reason="Thuộc thẩm quyền chính quyền",
    )
    assert item.status == S.TRANSFERRED
    assert "UBND phường Vị Tân" in item.updates.get(kind=UpdateKind.TRANSFERRED).text


def test_reopening_sends_it_back_with_a_new_deadline_and_then_it_can_be_answered_again(world, roads):
    item = answered(world, roads)
    item = services.feedback_rate(feedback=item, rating=1, comment="Vẫn tối")
    item = services.feedback_reopen(feedback=item, text="Đèn lại hỏng sau 2 ngày", files=[photo_file()])
    assert item.status == S.REOPENED and item.reopen_count == 1 and item.closed_at is None
    item = services.feedback_start(actor=world.secretary_a, feedback=item)
    item = services.feedback_answer(actor=world.secretary_a, feedback=item, answer="Đã thay cả bộ đèn.",
                                    files=[photo_file()])  # fmt: skip
    assert item.status == S.ANSWERED


def test_rating_must_be_one_to_five_and_only_once(world, roads):
    item = answered(world, roads)
    for bad in (0, 6, "x"):
        with pytest.raises(RuleViolation) as exc:
            services.feedback_rate(feedback=item, rating=bad)
        assert "rating" in exc.value.fields
    services.feedback_rate(feedback=item, rating=4)
    with pytest.raises(RuleViolation):
        services.feedback_rate(feedback=item, rating=5)


def test_handlers_outside_the_item_cannot_act(world, order_cat):
    item = assign(world, file_report(world, order_cat))
    with pytest.raises(Http404):
        services.feedback_start(actor=world.secretary_b, feedback=item)
    with pytest.raises(Http404):  # party members do not see citizens' feedback at all
        services.feedback_start(actor=world.member_a, feedback=item)
    with pytest.raises(PermissionDenied):  # the handler sees it but only the receiving unit rejects
        services.feedback_reject(actor=world.secretary_a, feedback=item, reason="Không")


def test_staff_file_from_a_reception_day_needs_a_staff_actor(world, order_cat):
    with pytest.raises(RuleViolation):
        file_report(world, order_cat, channel="RECEPTION")
    item = file_report(world, order_cat, channel="RECEPTION", actor=world.commune_staff)
    assert item.created_by == world.commune_staff
