"""Staff pages: the inbox (tabs, filters, bounded queries), reporter privacy and its access log, workflow steps
through the pages, filing for a citizen, reception compliance and calendar, dialogues, routing rules."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.urls import reverse

from coso.accounts.models import AccessLog
from coso.citizens import services
from coso.citizens.models import Dialogue, Feedback, FeedbackStatus, ReceptionDay, RoutingRule
from coso.citizens.selectors import reception_compliance
from coso.orgs.models import Committee, CommitteeKind, Position, PositionTitle, Term

from .conftest import assign, file_report, photo_file


def test_inbox_lists_open_items_with_bounded_queries(client, world, roads, django_assert_max_num_queries):
    for _i in range(3):
        assign(world, file_report(world, roads))
    client.force_login(world.commune_staff)
    client.get(reverse("citizens:inbox"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("citizens:inbox"))
    assert response.content.decode().count('data-testid="inbox-row"') == 3
    for _i in range(10):
        file_report(world, roads)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("citizens:inbox"), {"box": "unassigned"})
    assert response.content.decode().count('data-testid="inbox-row"') == 10


def test_inbox_tabs_count_overdue_and_unassigned(client, world, roads):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0), tick=False):
        assign(world, file_report(world, roads))
    file_report(world, roads)
    client.force_login(world.commune_staff)
    response = client.get(reverse("citizens:inbox"), {"box": "overdue"})
    page = response.content.decode()
    assert page.count('data-testid="inbox-row"') == 1
    assert 'data-testid="count-unassigned">1<' in page


def test_cell_secretary_sees_only_items_of_the_cell(client, world, roads):
    mine = assign(world, file_report(world, roads))
    assign(world, file_report(world, roads, area=world.cell_b), org=world.cell_b)
    file_report(world, roads)  # not assigned yet: only the commune sees it
    client.force_login(world.secretary_a)
    page = client.get(reverse("citizens:inbox")).content.decode()
    assert page.count('data-testid="inbox-row"') == 1 and mine.code in page


def test_handling_cell_cannot_see_the_reporter_and_the_receiving_unit_can_with_a_log(client, world, roads):
    item = assign(world, file_report(world, roads))
    client.force_login(world.secretary_a)
    page = client.get(reverse("citizens:feedback_detail", args=[item.pk])).content.decode()
    assert "Nguyễn Văn Dân" not in page and "0909123456" not in page
    assert 'data-testid="contact-hidden"' in page
    assert client.get(reverse("citizens:feedback_contact", args=[item.pk])).status_code == 403
    assert not AccessLog.objects.exists()
    client.force_login(world.commune_staff)
    page = client.get(reverse("citizens:feedback_detail", args=[item.pk])).content.decode()
    assert "0909123456" not in page and 'data-testid="show-contact"' in page
    contact = client.get(reverse("citizens:feedback_contact", args=[item.pk])).content.decode()
    assert "Nguyễn Văn Dân" in contact and "0909123456" in contact
    log = AccessLog.objects.get()
    assert (log.user, log.action, log.object_label) == (
        world.commune_staff,
        "feedback.view_contact",
        item.code,
    )


def test_category_that_does_not_hide_the_reporter_lets_the_handling_committee_see_it(
    client, world, order_cat
):
    item = assign(world, file_report(world, order_cat), org=world.commune)
    from coso.citizens.selectors import can_view_contact

    assert can_view_contact(world.commune_leader, item)
    assert not can_view_contact(world.secretary_a, item)  # a cell secretary is never a contact reader


def test_assign_start_answer_through_the_pages(client, world, roads, routing):
    item = file_report(world, roads)
    client.force_login(world.commune_staff)
    page = client.get(reverse("citizens:feedback_detail", args=[item.pk])).content.decode()
    assert 'data-testid="action-assign"' in page
    response = client.post(
        reverse("citizens:feedback_act", args=[item.pk, "assign"]),
        {"organization": world.cell_a.pk, "kind": "REPORT", "category": roads.pk},
    )
    assert response.status_code == 302
    client.force_login(world.secretary_a)
    assert client.post(reverse("citizens:feedback_act", args=[item.pk, "start"])).status_code == 302
    missing = client.post(reverse("citizens:feedback_act", args=[item.pk, "answer"]), {"answer": "Đã sửa"})
    assert missing.status_code == 400 and 'data-field="files"' in missing.content.decode()
    response = client.post(
        reverse("citizens:feedback_act", args=[item.pk, "answer"]),
        {"answer": "Đã sửa", "files": [photo_file()]},
    )
    assert response.status_code == 302
    assert Feedback.objects.get(pk=item.pk).status == FeedbackStatus.ANSWERED


def test_reject_without_reason_keeps_the_form_with_the_error(client, world, roads):
    item = file_report(world, roads)
    client.force_login(world.commune_staff)
    response = client.post(reverse("citizens:feedback_act", args=[item.pk, "reject"]), {"reason": ""})
    assert response.status_code == 400 and 'data-field="reason"' in response.content.decode()


def test_staff_files_a_matter_raised_at_a_dialogue(client, world, order_cat):
    dialogue = Dialogue.objects.create(
        organization=world.cell_a,
        kind="DOOR_TO_DOOR",
        topic="Đi từng ngõ khu vực 1",
        date=dt.date(2026, 3, 1),
    )
    client.force_login(world.secretary_a)
    response = client.post(
        reverse("citizens:feedback_new") + f"?dialogue={dialogue.pk}",
        {
            "channel": "DOOR_TO_DOOR",
            "kind": "PETITION",
            "category": order_cat.pk,
            "area": world.cell_a.pk,
            "description": "Đề nghị lắp camera đầu hẻm",
        },
    )
    assert response.status_code == 302
    item = Feedback.objects.get()
    assert (
        item.dialogue == dialogue and item.channel == "DOOR_TO_DOOR" and item.created_by == world.secretary_a
    )


def make_head(org, member):
    term = Term.objects.create(organization=org, name="2025–2030", starts_on=dt.date(2025, 9, 1))
    committee = Committee.objects.create(organization=org, term=term, kind=CommitteeKind.EXECUTIVE)
    Position.objects.create(
        committee=committee, member=member, title=PositionTitle.SECRETARY, starts_on=term.starts_on
    )
    return member


def test_reception_compliance_flags_a_commune_head_short_of_two_days(world):
    head = make_head(world.commune, world.member_b_record)
    make_head(world.commune2, world.member_d_record)
    for day in (3, 17):
        ReceptionDay.objects.create(
            organization=world.commune2,
            head=world.member_d_record,
            date=dt.date(2026, 3, day),
            status="HELD",
            place="UB",
        )
    ReceptionDay.objects.create(
        organization=world.commune, head=head, date=dt.date(2026, 3, 5), status="HELD", place="Trụ sở"
    )
    rows = {
        r.organization: r for r in reception_compliance(actor=world.province_admin, month=dt.date(2026, 3, 1))
    }
    assert (rows[world.commune].held, rows[world.commune].required, rows[world.commune].short) == (1, 2, True)
    assert rows[world.commune2].short is False and rows[world.commune2].head == world.member_d_record
    assert rows[world.province].required == 1 and rows[world.province].short


def test_reception_rule_before_kl215_was_one_day(world):
    from coso.citizens.selectors import required_reception_days

    assert required_reception_days(world.commune, dt.date(2025, 6, 1)) == 1
    assert required_reception_days(world.commune, dt.date(2026, 6, 1)) == 2


def test_reception_calendar_page_and_recording_a_day(client, world):
    make_head(world.commune, world.member_b_record)
    client.force_login(world.commune_staff)
    response = client.post(
        reverse("citizens:reception_new", args=[world.commune.pk]),
        {
            "head": world.member_b_record.pk,
            "date": "05/03/2026",
            "kind": "REGULAR",
            "status": "HELD",
            "place": "Trụ sở Đảng ủy",
            "citizens_count": 6,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(reverse("citizens:reception_calendar", args=[world.commune.pk]), {"month": "2026-03"})
    text = page.content.decode()
    assert 'data-testid="reception-held"' in text and "alert-danger" in text  # 1 of 2


def test_reception_head_must_be_the_secretary(client, world):
    make_head(world.commune, world.member_b_record)
    try:
        services.reception_day_save(
            actor=world.commune_staff,
            organization=world.commune,
            data={
                "head": world.member_a_record,
                "date": dt.date(2026, 3, 5),
                "place": "x",
                "status": "PLANNED",
            },
        )
    except Exception as exc:  # noqa: BLE001
        assert "head" in exc.fields
    else:
        raise AssertionError("a non-secretary was accepted as head")


def test_members_dialogue_invites_members_working_away(client, world):
    world.other_a_record.working_away = True
    world.other_a_record.save()
    dialogue = services.dialogue_save(
        actor=world.commune_staff,
        organization=world.commune,
        data={
            "kind": "MEMBERS",
            "topic": "Đối thoại với đảng viên 6 tháng đầu năm",
            "date": dt.date(2026, 6, 20),
        },
    )
    assert services.dialogue_invite_members(actor=world.commune_staff, dialogue=dialogue) == 1
    assert list(dialogue.invited_members.all()) == [world.other_a_record]


def test_routing_rules_page_adds_and_deletes(client, world, roads):
    client.force_login(world.commune_staff)
    response = client.post(
        reverse("citizens:routing"),
        {"category": roads.pk, "area": world.cell_b.pk, "responsible": world.cell_b.pk},
    )
    assert response.status_code == 302
    rule = RoutingRule.objects.get()
    assert client.post(reverse("citizens:routing_delete", args=[rule.pk])).status_code == 302
    assert not RoutingRule.objects.exists()


def test_home_panel_shows_the_counts_in_a_fixed_number_of_queries(
    client, world, roads, django_assert_max_num_queries
):
    from django.test import RequestFactory

    from coso.citizens.home import home_panels

    for _i in range(5):
        file_report(world, roads)
    request = RequestFactory().get("/")
    request.user = world.commune_staff
    with django_assert_max_num_queries(2):
        panels = home_panels(request, dt.date.today())
    assert panels[0].context["counts"]["unassigned"] == 5
    request.user = world.member_a
    assert home_panels(request, dt.date.today()) == []
    client.force_login(world.commune_staff)
    assert 'data-testid="citizens-panel"' in client.get(reverse("core:home")).content.decode()


def test_transparency_figures_by_month_and_category_without_personal_data(client, world, roads, order_cat):
    from coso.citizens.models import FeedbackKind
    from coso.citizens.selectors import transparency

    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0), tick=False):
        on_time = assign(world, file_report(world, order_cat))
        services.feedback_answer(actor=world.secretary_a, feedback=on_time, answer="Đã xử lý")
        services.feedback_rate(feedback=Feedback.objects.get(pk=on_time.pk), rating=4)
        late = assign(world, file_report(world, order_cat))
        file_report(world, order_cat, kind=FeedbackKind.DENUNCIATION)  # never counted on the public page
    with time_machine.travel(dt.datetime(2026, 4, 1, 9, 0), tick=False):
        services.feedback_answer(actor=world.secretary_a, feedback=late, answer="Đã xử lý")
        file_report(world, roads)
        figures = transparency(world.commune, months=2, today=dt.date(2026, 4, 1))
        page = client.get(reverse("citizens:transparency", args=[world.commune.code])).content.decode()
    march, april = figures["by_month"]
    assert (march.received, march.answered, march.on_time, march.satisfaction) == (2, 2, 1, 4.0)
    assert april.received == 1 and april.answered == 0
    assert figures["total"].on_time_percent == 50
    assert figures["total"].avg_days is not None and figures["total"].avg_days > 14
    assert dict(figures["by_category"])[order_cat.name].received == 2
    assert "Nguyễn Văn Dân" not in page and "0909123456" not in page
