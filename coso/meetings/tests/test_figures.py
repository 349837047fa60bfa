"""One computation of a meeting's numbers: every count equals the names listed under it, on the attendance page,
the minutes page, the API and the reopened .docx; probationary members are listed and in the totals."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from docx import Document

from coso.accounts.permissions import SYSTEM
from coso.core.exceptions import RuleViolation
from coso.meetings import selectors, services
from coso.meetings.models import Minutes
from coso.meetings.tests.conftest import MEETING_DAY, complete_minutes
from coso.members.models import EventKind, MemberStatus
from coso.members.services import member_record_event
from coso.testing.factories import make_member


@pytest.fixture
def held(world, meeting_a):
    probationary = [
        make_member(
            world.cell_a, full_name=f"Dự Bị Số {i}", admitted_on=dt.date(2026, 1, 5), full_member_on=None
        )
        for i in range(3)
    ]
    assert {m.status for m in probationary} == {MemberStatus.PROBATIONARY}
    exempt = make_member(world.cell_a, full_name="Võ Văn Già")
    member_record_event(
        actor=SYSTEM, member=exempt, kind=EventKind.EXEMPTION, occurred_on=dt.date(2026, 1, 5)
    )
    services.meeting_mark_held(actor=SYSTEM, meeting=meeting_a, today=MEETING_DAY)
    marks = [
        (world.member_a_record, "PRESENT"),
        (world.other_a_record, "ABSENT_EXCUSED"),
        (probationary[0], "ABSENT_EXCUSED"),
        (probationary[1], "ABSENT_UNEXCUSED"),
    ]
    for member, status in marks:
        services.attendance_record(actor=SYSTEM, meeting=meeting_a, member=member, status=status, reason="Ốm")
    return meeting_a


def test_probationary_members_are_in_the_totals_but_not_in_the_rate_or_the_vote(held):
    figures = selectors.meeting_figures(held)
    assert figures.probationary == 3
    assert figures.must_attend == len(figures.expected) == figures.total - figures.exempted
    assert figures.excused == 2 and figures.unexcused == 1
    assert figures.base == figures.must_attend - 3  # the 2025 rule: probationary members not in the rate
    assert figures.vote_base == selectors.voting_base(held) == figures.base
    assert figures.attended + figures.absent + figures.unrecorded == figures.must_attend


def _count(label: str, text: str) -> int:
    return int(re.search(label + r"\s*:\s*(?:<strong>)?(\d+)", text).group(1))


def test_attendance_page_counts_equal_the_cards(client, world, held):
    client.force_login(world.secretary_a)
    page = client.get(reverse("meetings:attendance", args=[held.pk])).content.decode()
    figures = selectors.meeting_figures(held)
    members_part = page.split('data-testid="members-list"')[1].split("<!-- end members -->")[0]
    cards = re.findall(r'data-member="\d+" data-status="([A-Z_]*)"', members_part)
    assert len(cards) == figures.must_attend
    assert cards.count("") == figures.unrecorded > 0
    assert cards.count("ABSENT_EXCUSED") == figures.excused
    assert cards.count("ABSENT_UNEXCUSED") == figures.unexcused
    for name in ("Dự Bị Số 0", "Dự Bị Số 1", "Dự Bị Số 2"):
        assert name in members_part


def test_minutes_page_counts_equal_the_names(client, world, held):
    client.force_login(world.secretary_a)
    page = client.get(reverse("meetings:minutes", args=[held.pk])).content.decode()
    for testid in ("names-excused", "names-unexcused"):
        block = page.split(f'data-testid="{testid}"')[1].split("</ul>")[0]
        before = page.split(f'data-testid="{testid}"')[0]
        shown = int(re.findall(r":\s*(\d+)</div>\s*<ul", before + "<ul")[-1])
        assert block.count("<li>") == shown
    assert page.split('data-testid="names-excused"')[1].split("</ul>")[0].count("<li>") == 2


def test_api_counts_equal_the_rows(client, world, held):
    client.force_login(world.secretary_a)
    body = client.get(reverse("api:meeting_attendance", args=[held.pk])).json()
    figures, rows = body["figures"], [r for r in body["rows"] if not r["is_guest"]]
    members = [r for r in rows if not r["exempted"]]
    assert figures["must_attend"] == len(members)
    assert figures["total"] == len(rows)
    assert figures["exempted"] == len(rows) - len(members)
    assert figures["excused"] == sum(r["status"] == "ABSENT_EXCUSED" for r in members)
    assert figures["unexcused"] == sum(r["status"] == "ABSENT_UNEXCUSED" for r in members)
    assert figures["unrecorded"] == sum(r["status"] == "" for r in members)
    assert figures["base"] == sum(r["counted"] for r in members)
    assert figures["probationary"] == 3 and figures["probationary_counted"] is False


def test_docx_counts_equal_the_names(world, held):
    from coso.meetings.exports import minutes_docx

    minutes = services.minutes_start(actor=SYSTEM, meeting=held)
    text = [p.text for p in Document(io.BytesIO(minutes_docx(held, minutes))).paragraphs]
    summary = next(t for t in text if t.startswith("Tổng số đảng viên"))
    excused = [t for t in text if t.startswith("Vắng có lý do:")]
    unexcused = [t for t in text if t.startswith("Vắng không lý do:")]
    assert int(re.search(r"có lý do: (\d+)", summary).group(1)) == len(excused) == 2
    assert int(re.search(r"không lý do: (\d+)", summary).group(1)) == len(unexcused) == 1
    figures = selectors.meeting_figures(held)
    assert f"phải có mặt: {figures.must_attend}" in summary
    assert f"đảng viên dự bị: {figures.probationary}" in summary
    assert any(
        f"biểu quyết (đảng viên chính thức trừ miễn sinh hoạt): {figures.vote_base}" in t for t in text
    )


def _nine_official(world):
    for i in range(7):  # cell A has two official members already: nine in all
        make_member(world.cell_a, full_name=f"Chính Thức Số {i}")


def test_the_kind_of_vote_is_kept_and_decides_the_threshold_in_the_page(client, world, meeting_a):
    _nine_official(world)
    services.meeting_mark_held(actor=SYSTEM, meeting=meeting_a, today=MEETING_DAY)
    minutes = services.minutes_start(actor=SYSTEM, meeting=meeting_a)
    assert selectors.voting_base(meeting_a) == 9
    client.force_login(world.secretary_a)
    url = reverse("meetings:minutes", args=[meeting_a.pk])
    page = client.get(url).content.decode()
    assert 'name="res-0-kind"' in page and 'value="ADMISSION"' in page
    post = {"version": minutes.version, "resolution_count": 1}
    post |= {"res-0-text": "Kết nạp đảng viên", "res-0-kind": "ADMISSION", "res-0-for": 5, "res-0-against": 4}
    post |= {"res-1-text": "Nghị quyết tháng", "res-1-kind": "ORDINARY", "res-1-for": 5, "res-1-against": 4}
    assert client.post(url, post).status_code == 302
    admission, ordinary = minutes.resolutions.order_by("order")
    assert (admission.kind, admission.passed, ordinary.kind, ordinary.passed) == (
        "ADMISSION",
        False,
        "ORDINARY",
        True,
    )
    page = client.get(url).content.decode()
    assert 'data-kind="ADMISSION"' in page or 'value="ADMISSION" selected' in page


def test_the_api_takes_and_returns_the_kind_of_vote(client, world, meeting_a):
    _nine_official(world)
    services.meeting_mark_held(actor=SYSTEM, meeting=meeting_a, today=MEETING_DAY)
    minutes = services.minutes_start(actor=SYSTEM, meeting=meeting_a)
    client.force_login(world.secretary_a)
    body = {
        "version": minutes.version,
        "resolutions": [
            {"text": "Xóa tên", "kind": "REMOVAL", "votes_for": 6, "votes_against": 3},
            {"text": "Kết nạp", "kind": "ADMISSION", "votes_for": 5, "votes_against": 4},
        ],
    }
    url = reverse("api:meeting_minutes_update", args=[meeting_a.pk])
    response = client.put(url, body, content_type="application/json")
    assert response.status_code == 200, response.content
    got = [(r["kind"], r["passed"]) for r in response.json()["resolutions"]]
    assert got == [("REMOVAL", True), ("ADMISSION", False)]
    body["version"] = response.json()["version"]
    body["resolutions"] = [{"text": "x", "kind": "WHATEVER", "votes_for": 1}]
    bad = client.put(url, body, content_type="application/json")
    assert bad.status_code in (400, 422) and "resolutions.1" in bad.content.decode()


def test_empty_minutes_cannot_be_approved_and_the_missing_parts_are_named(client, world, meeting_a):
    services.meeting_mark_held(actor=SYSTEM, meeting=meeting_a, today=MEETING_DAY)
    minutes = services.minutes_start(actor=SYSTEM, meeting=meeting_a)
    with pytest.raises(RuleViolation) as exc:
        services.minutes_approve(actor=world.secretary_a, minutes=minutes)
    assert set(exc.value.fields) == {"chair", "minute_taker", "opening", "items", "conclusion"}
    client.force_login(world.secretary_a)
    page = client.get(reverse("meetings:minutes", args=[meeting_a.pk])).content.decode()
    assert (
        'data-testid="missing"' in page
        and "hx-confirm=" in page.split('data-testid="approve-form"')[0][-600:]
    )
    response = client.post(
        reverse("api:meeting_minutes_approve", args=[meeting_a.pk]),
        {"version": minutes.version},
        content_type="application/json",
    )
    assert response.status_code in (400, 409, 422)
    body = response.content.decode()
    assert "chair" in body and "conclusion" in body
    assert Minutes.objects.get(pk=minutes.pk).status != "APPROVED"
    complete = complete_minutes(minutes)
    services.minutes_approve(actor=world.secretary_a, minutes=complete)
    assert Minutes.objects.get(pk=minutes.pk).status == "APPROVED"


def test_publish_and_remove_ask_first_and_say_how_many_get_the_notice(client, world, meeting_a):
    client.force_login(world.secretary_a)
    page = client.get(reverse("meetings:detail", args=[meeting_a.pk])).content.decode()
    n = len(services.meeting_recipients(meeting_a))
    form = page.split('data-testid="publish-form"')[0].rsplit("<form", 1)[1]
    assert "hx-confirm=" in form and f" {n} " in form
    assert page.count("hx-confirm=") >= 1 + meeting_a.agenda_items.count()


def test_the_overview_reads_the_monthly_meeting_policy(world, meeting_a, monkeypatch):
    from coso.core.policies import Policy
    from coso.meetings import policies

    services.meeting_mark_held(actor=SYSTEM, meeting=meeting_a, today=MEETING_DAY)

    def met():
        rows = selectors.overview(actor=SYSTEM, org=world.commune, today=MEETING_DAY)
        return next(r.met for r in rows if r.cell == world.cell_a)

    assert met()
    extra = Policy("meetings.regular_per_month", 2, dt.date(2026, 6, 1), "test")
    monkeypatch.setattr(policies, "POLICIES", [*policies.POLICIES, extra])
    assert not met()


def test_the_docx_names_the_kind_of_each_vote(world, meeting_a):
    from coso.meetings.exports import minutes_docx

    _nine_official(world)
    services.meeting_mark_held(actor=SYSTEM, meeting=meeting_a, today=MEETING_DAY)
    minutes = services.minutes_start(actor=SYSTEM, meeting=meeting_a)
    services.minutes_update(
        actor=SYSTEM,
        minutes=minutes,
        data={},
        resolutions=[
            {"text": "Kết nạp quần chúng A", "kind": "ADMISSION", "votes_for": 6},
            {"text": "Nghị quyết tháng", "kind": "ORDINARY", "votes_for": 5},
        ],
        expected_version=None,
    )
    document = Document(io.BytesIO(minutes_docx(meeting_a, selectors.minutes_current(meeting_a))))
    rows = [[c.text for c in row.cells] for row in document.tables[1].rows[1:]]
    assert "ít nhất hai phần ba" in rows[0][0] and rows[0][5] == "Thông qua"  # 6 of 9 is two thirds
    assert "quá một nửa" in rows[1][0] and rows[1][5] == "Thông qua"  # 5 of 9 is more than half
