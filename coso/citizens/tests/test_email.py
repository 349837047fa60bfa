"""The reporter who left an e-mail address (with consent) is told when the item is answered, moved, transferred
or rejected: after commit, in Vietnamese, with the tracking link, never with internal notes."""

from __future__ import annotations

import pytest
from django.core import mail

from coso.citizens import services
from coso.citizens.models import FeedbackUpdate, UpdateKind
from coso.citizens.tasks import citizens_reporter_email

from .conftest import assign, file_report, photo_file

ADDRESS = "dan.nguyen@example.vn"
INTERNAL = "Nội bộ: người phản ánh là người quen của tổ trưởng"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.COSO_SITE_URL = "https://coso.example.vn/"


def to_reporter():
    return [message for message in mail.outbox if message.to == [ADDRESS]]


def test_answer_is_emailed_to_the_reporter_after_commit_in_vietnamese_with_the_tracking_link(
    world, roads, django_capture_on_commit_callbacks
):
    item = file_report(world, roads, reporter_email=ADDRESS)
    item = services.feedback_assign(
        actor=world.commune_staff, feedback=item, organization=world.cell_a, note=INTERNAL
    )
    services.feedback_note(actor=world.secretary_a, feedback=item, text="Ghi chú nội bộ: chờ vật tư")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.feedback_answer(
            actor=world.secretary_a,
            feedback=item,
            answer="Đã thay bóng đèn ngày 10/03.",
            files=[photo_file()],
        )
    assert to_reporter() == [], "nothing is sent before the answer is committed"
    for callback in callbacks:
        callback()
    [message] = to_reporter()
    assert message.subject == f"Phản ánh {item.code} của ông/bà đã được trả lời"
    assert message.body.startswith("Kính gửi ông/bà Nguyễn Văn Dân,")
    assert "Đã thay bóng đèn ngày 10/03." in message.body
    assert f"https://coso.example.vn/citizens/p/{item.code}/" in message.body
    assert "Internal" not in message.body and "Nội bộ" not in message.body
    assert "chờ vật tư" not in message.body
    assert "secretary_a" not in message.body, "the handler's name is not given out"
    assert FeedbackUpdate.objects.get(feedback=item, kind=UpdateKind.ANSWERED).reporter_emailed_at


def test_moving_to_another_organization_tells_the_reporter_where_and_why(
    world, order_cat, django_capture_on_commit_callbacks
):
    item = assign(world, file_report(world, order_cat, reporter_email=ADDRESS))
    with django_capture_on_commit_callbacks(execute=True):
        services.feedback_reassign(
            actor=world.secretary_a, feedback=item, organization=world.cell_b, reason="Địa bàn khu vực 2"
        )
    [message] = to_reporter()
    assert item.code in message.subject and "chuyển" in message.subject
    assert world.cell_b.name in message.body and "Địa bàn khu vực 2" in message.body


def test_transfer_to_the_authority_and_rejection_are_emailed_with_the_reason(
    world, order_cat, django_capture_on_commit_callbacks
):
    moved = assign(world, file_report(world, order_cat, reporter_email=ADDRESS))
    refused = file_report(world, order_cat, reporter_email=ADDRESS, description="Việc riêng giữa hai nhà.")
    with django_capture_on_commit_callbacks(execute=True):
        services.feedback_transfer(
            actor=world.secretary_a, feedback=moved, authority="UBND phường Vị Tân", reason="Thẩm quyền UBND"
        )
        services.feedback_reject(actor=world.commune_staff, feedback=refused, reason="Tranh chấp dân sự")
    transferred, rejected = to_reporter()
    assert moved.code in transferred.subject and "cơ quan có thẩm quyền" in transferred.subject
    assert "UBND phường Vị Tân" in transferred.body and "Thẩm quyền UBND" in transferred.body
    assert refused.code in rejected.subject and "không được thụ lý" in rejected.subject
    assert "Tranh chấp dân sự" in rejected.body
    assert f"/citizens/p/{refused.code}/" in rejected.body


def test_other_steps_and_reporters_without_an_address_get_no_email(
    world, roads, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with_address = file_report(world, roads, reporter_email=ADDRESS)
        with_address = assign(world, with_address)
        services.feedback_start(actor=world.secretary_a, feedback=with_address)
        without = assign(world, file_report(world, roads))
        services.feedback_answer(
            actor=world.secretary_a, feedback=without, answer="Đã sửa.", files=[photo_file()]
        )
    assert to_reporter() == []
    assert not any("Đã sửa." in message.body for message in mail.outbox)


def test_rating_and_closing_send_nothing_more(world, roads, django_capture_on_commit_callbacks):
    item = assign(world, file_report(world, roads, reporter_email=ADDRESS))
    with django_capture_on_commit_callbacks(execute=True):
        item = services.feedback_answer(
            actor=world.secretary_a, feedback=item, answer="Xong.", files=[photo_file()]
        )
        services.feedback_rate(feedback=item, rating=4, comment="Được")
    assert len(to_reporter()) == 1


def test_the_task_emails_a_step_at_most_once_and_never_an_internal_one(world, roads):
    item = assign(world, file_report(world, roads, reporter_email=ADDRESS))
    services.feedback_answer(actor=world.secretary_a, feedback=item, answer="Xong.", files=[photo_file()])
    answered = FeedbackUpdate.objects.get(feedback=item, kind=UpdateKind.ANSWERED)
    internal = FeedbackUpdate.objects.create(
        feedback=item, at=answered.at, kind=UpdateKind.REJECTED, text=INTERNAL, public=False
    )
    assert citizens_reporter_email.call(answered.pk) is True
    assert citizens_reporter_email.call(answered.pk) is False
    assert citizens_reporter_email.call(internal.pk) is False
    assert len(to_reporter()) == 1
