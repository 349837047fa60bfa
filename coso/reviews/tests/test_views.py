"""What people do on the review pages: write and submit, propose with the vote, decide within the quota, follow
the filters and pages, read the evidence, and take the files away."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from docx import Document
from openpyxl import load_workbook

from coso.accounts.permissions import SYSTEM
from coso.meetings import services as meeting_services
from coso.meetings.models import AttendanceStatus, Meeting, MeetingKind, MeetingStatus
from coso.reviews.models import AnnualReview, RatingLevel, ReviewStatus
from coso.testing.factories import make_member

from .factories import make_cycle, make_review

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def cycle(world):
    return make_cycle(world.commune)


def test_a_member_writes_submits_and_sees_the_step(client, world, cycle):
    client.force_login(world.member_a)
    response = client.post(f"/reviews/{cycle.pk}/start/")
    review = AnnualReview.objects.get(member=world.member_a_record)
    assert response.url == f"/reviews/r/{review.pk}/edit/"
    page = client.get(response.url).content.decode()
    assert 'name="manifestations"' in page and "checked" not in page  # nothing is marked in advance
    data = {
        "strengths": "Gương mẫu",
        "shortcomings": "",
        "self_score": "82",
        "self_grade": "GOOD",
        "version": 1,
    }
    # Submitting without the shortcomings keeps what was typed and says what is missing.
    response = client.post(f"/reviews/r/{review.pk}/edit/", {**data, "submit": "1"})
    assert response.status_code == 200
    assert "Gương mẫu" in response.content.decode()
    assert 'data-field="shortcomings"' in response.content.decode()
    version = AnnualReview.objects.get(pk=review.pk).version
    response = client.post(
        f"/reviews/r/{review.pk}/edit/",
        {**data, "shortcomings": "Còn chậm", "manifestations": ["A3"], "version": version, "submit": "1"},
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    review.refresh_from_db()
    assert (review.status, review.grade, review.manifestations) == (ReviewStatus.SUBMITTED, "GOOD", ["A3"])
    page = client.get(f"/reviews/r/{review.pk}/").content.decode()
    assert page.count('data-testid="step-row"') == 1
    assert 'data-testid="rate-form"' not in page  # the member does not rate themself


def test_the_secretary_proposes_with_the_vote_and_the_leader_decides(client, world, cycle):
    review = make_review(cycle, world.member_a_record, status=ReviewStatus.SUBMITTED)
    client.force_login(world.secretary_a)
    page = client.get(f"/reviews/r/{review.pk}/").content.decode()
    assert f"/reviews/r/{review.pk}/rate/CELL/" in page and 'name="votes_for"' in page
    client.post(
        f"/reviews/r/{review.pk}/rate/CELL/",
        {"grade": "GOOD", "score": "81", "votes_for": "7", "votes_against": "1", "version": review.version},
    )
    review.refresh_from_db()
    assert review.status == ReviewStatus.PROPOSED
    assert review.steps.get(level=RatingLevel.CELL).votes_for == 7
    client.force_login(world.commune_staff)
    page = client.get(f"/reviews/r/{review.pk}/").content.decode()
    assert "/rate/COMMITTEE/" in page
    client.post(
        f"/reviews/r/{review.pk}/rate/COMMITTEE/", {"grade": "GOOD", "score": "80", "version": review.version}
    )
    client.force_login(world.commune_leader)
    review.refresh_from_db()
    assert "/rate/DECISION/" in client.get(f"/reviews/r/{review.pk}/").content.decode()
    client.post(
        f"/reviews/r/{review.pk}/rate/DECISION/", {"grade": "GOOD", "score": "80", "version": review.version}
    )
    review.refresh_from_db()
    assert (review.status, review.grade) == (ReviewStatus.DECIDED, "GOOD")


def test_a_decision_beyond_the_quota_is_refused_on_the_page(client, world, cycle):
    # Four decided "good" and one "excellent" already: five good or better allow one.
    for _ in range(4):
        make_review(cycle, make_member(world.cell_a), status=ReviewStatus.DECIDED, grade="GOOD")
    make_review(cycle, make_member(world.cell_a), status=ReviewStatus.DECIDED, grade="EXCELLENT", score=95)
    review = make_review(
        cycle, world.member_a_record, status=ReviewStatus.ADVISED, grade="EXCELLENT", score=95
    )
    client.force_login(world.commune_leader)
    response = client.post(
        f"/reviews/r/{review.pk}/rate/DECISION/",
        {"grade": "EXCELLENT", "score": "95", "version": review.version},
        follow=True,
    )
    assert "Đã đủ tỷ lệ" in response.content.decode()
    review.refresh_from_db()
    assert review.status == ReviewStatus.ADVISED


def test_the_cycle_page_figures_add_up_and_the_filters_and_pages_change_the_list(client, world, cycle):
    for _ in range(26):
        make_review(cycle, make_member(world.cell_a), status=ReviewStatus.SUBMITTED)
    for _ in range(3):
        make_review(cycle, make_member(world.cell_b), status=ReviewStatus.DECIDED, grade="GOOD")
    client.force_login(world.commune_staff)
    page = client.get(f"/reviews/{cycle.pk}/").content.decode()
    assert page.count('data-testid="review-row"') == 25
    assert "29 bản kiểm điểm" in page
    assert 'data-status="SUBMITTED">26<' in page and 'data-status="DECIDED">3<' in page
    assert 'data-grade="GOOD">3<' in page
    second = client.get(f"/reviews/{cycle.pk}/?page=2").content.decode()
    assert second.count('data-testid="review-row"') == 4
    decided = client.get(f"/reviews/{cycle.pk}/?status=DECIDED").content.decode()
    assert decided.count('data-testid="review-row"') == 3
    in_b = client.get(f"/reviews/{cycle.pk}/?org={world.cell_b.pk}").content.decode()
    assert in_b.count('data-testid="review-row"') == 3


def test_the_cycle_page_costs_the_same_queries_for_five_or_thirty_reviews(client, world, cycle):
    for _ in range(5):
        make_review(cycle, make_member(world.cell_a), status=ReviewStatus.SUBMITTED)
    client.force_login(world.commune_staff)
    client.get(f"/reviews/{cycle.pk}/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(f"/reviews/{cycle.pk}/")
    for _ in range(25):
        make_review(cycle, make_member(world.cell_a), status=ReviewStatus.SUBMITTED)
    with CaptureQueriesContext(connection) as many:
        client.get(f"/reviews/{cycle.pk}/")
    assert len(many) == len(few)
    assert len(few) <= 20


def test_the_evidence_beside_the_review_is_the_years_attendance(client, world, cycle):
    statuses = [AttendanceStatus.PRESENT, AttendanceStatus.ABSENT_UNEXCUSED, AttendanceStatus.ABSENT_EXCUSED]
    for month, status in zip((3, 4, 5), statuses, strict=True):
        meeting = meeting_services.meeting_schedule(
            actor=SYSTEM,
            organization=world.cell_a,
            kind=MeetingKind.REGULAR,
            starts_at=dt.datetime(2026, month, 5, 8, 0, tzinfo=TZ),
            place="Nhà văn hóa",
            agenda=["Thời sự"],
        )
        meeting_services.attendance_record(
            actor=SYSTEM, meeting=meeting, member=world.member_a_record, status=status
        )
        Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.HELD)
    review = make_review(cycle, world.member_a_record, status=ReviewStatus.SUBMITTED)
    client.force_login(world.secretary_a)
    page = client.get(f"/reviews/r/{review.pk}/").content.decode()
    assert 'data-evidence="meetings">3<' in page
    assert 'data-evidence="attended">1 (33%)<' in page
    assert 'data-evidence="unexcused">1<' in page
    assert 'data-evidence="excused">1<' in page


def test_the_ratings_export_has_every_step_of_every_review(client, world, cycle):
    decided = make_review(cycle, world.member_a_record, status=ReviewStatus.DECIDED, grade="GOOD", score=84)
    make_review(cycle, world.other_a_record, status=ReviewStatus.SUBMITTED, grade="COMPLETED", score=60)
    client.force_login(world.commune_staff)
    response = client.get(f"/reviews/{cycle.pk}/export/")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert (rows[0][0], rows[0][2], rows[0][10]) == ("Tổ chức đảng", "Đảng viên", "Quyết định")
    by_name = {row[2]: row for row in rows[1:]}
    assert set(by_name) == {world.member_a_record.full_name, world.other_a_record.full_name}
    row = by_name[decided.member.full_name]
    assert (
        row[6] == "Hoàn thành tốt nhiệm vụ"
        and row[7] == 5
        and row[10] == "Hoàn thành tốt nhiệm vụ"
        and row[11] == 84
    )
    waiting = by_name[world.other_a_record.full_name]
    assert waiting[4] == "Hoàn thành nhiệm vụ" and waiting[10] is None


def test_the_review_form_in_word_has_the_sections_and_the_steps(client, world, cycle):
    review = make_review(cycle, world.member_a_record, status=ReviewStatus.DECIDED, grade="GOOD", score=84)
    review.manifestations = ["A3"]
    review.save()
    client.force_login(world.member_a)
    response = client.get(f"/reviews/r/{review.pk}/form.docx")
    document = Document(io.BytesIO(response.content))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "BẢN KIỂM ĐIỂM CÁ NHÂN" in text and "Mẫu 2B" in text
    assert world.member_a_record.full_name in text
    assert "II. HẠN CHẾ, KHUYẾT ĐIỂM VÀ NGUYÊN NHÂN" in text and "Còn chậm" in text
    assert "A3. Xem nhẹ lý luận; lười học tập" in text
    steps = document.tables[-1]
    assert [row.cells[0].text for row in steps.rows[1:]] == [
        "Tự nhận",
        "Chi bộ đề xuất",
        "Cấp ủy đề xuất",
        "Quyết định",
    ]
    assert all(row.cells[1].text == "Hoàn thành tốt nhiệm vụ" for row in steps.rows[1:])


def test_the_summary_counts_each_unit_adds_up_to_the_total_and_compares_with_last_year(client, world, cycle):
    from coso.reviews.selectors import cycle_ratings_summary

    for grade in ("GOOD", "GOOD", "EXCELLENT", "COMPLETED"):
        make_review(cycle, make_member(world.cell_a), status=ReviewStatus.DECIDED, grade=grade)
    make_review(cycle, make_member(world.cell_b), status=ReviewStatus.DECIDED, grade="GOOD")
    make_review(cycle, make_member(world.cell_b), status=ReviewStatus.SUBMITTED, grade="GOOD")  # not decided
    last_year = make_cycle(world.commune, year=2025)
    for grade in ("GOOD", "NOT_COMPLETED"):
        make_review(last_year, make_member(world.cell_a), status=ReviewStatus.DECIDED, grade=grade)
    client.force_login(world.commune_staff)
    page = client.get(f"/reviews/{cycle.pk}/summary/").content.decode()
    assert page.count('data-testid="summary-row"') == 2
    table = cycle_ratings_summary(actor=world.commune_staff, cycle=cycle)
    by_name = {row.organization.name: row for row in table["rows"]}
    assert by_name[world.cell_a.name].counts == {"GOOD": 2, "EXCELLENT": 1, "COMPLETED": 1}
    assert by_name[world.cell_a.name].percent("GOOD") == 50.0
    assert by_name[world.cell_b.name].rated == 1
    assert table["total"].rated == sum(row.rated for row in table["rows"]) == 5
    for grade in ("EXCELLENT", "GOOD", "COMPLETED", "NOT_COMPLETED"):
        assert table["total"].counts.get(grade, 0) == sum(row.counts.get(grade, 0) for row in table["rows"])
    assert (table["last"].rated, table["last"].counts) == (2, {"GOOD": 1, "NOT_COMPLETED": 1})
    workbook = load_workbook(io.BytesIO(client.get(f"/reviews/{cycle.pk}/summary/?format=xlsx").content))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][:4] == (
        "Tổ chức đảng",
        "Số được xếp loại",
        "Hoàn thành xuất sắc nhiệm vụ",
        "Hoàn thành xuất sắc nhiệm vụ (%)",
    )
    assert [row[0] for row in rows[1:]] == [
        world.cell_a.name,
        world.cell_b.name,
        "Tổng cộng",
        "Năm trước (2025)",
    ]
    assert rows[3][1] == 5 and rows[3][4] == 3 and rows[3][5] == 60.0
    # The cell's secretary sees the row of their own cell only.
    mine = cycle_ratings_summary(actor=world.secretary_a, cycle=cycle)
    assert [row.organization for row in mine["rows"]] == [world.cell_a] and mine["total"].rated == 4


def test_members_not_rated_are_listed_apart_with_the_reason(client, world, cycle):
    from coso.members.models import Member, MemberStatus

    newcomer = make_member(world.cell_a, admitted_on=dt.date(2026, 8, 1), full_member_on=None)
    exempted = make_member(world.cell_a)
    Member.objects.filter(pk=exempted.pk).update(status=MemberStatus.EXEMPT)
    elsewhere = make_member(world.cell_d, admitted_on=dt.date(2026, 8, 1), full_member_on=None)
    client.force_login(world.commune_staff)
    page = client.get(f"/reviews/{cycle.pk}/not-rated/").content.decode()
    assert page.count('data-testid="not-rated-row"') == 2
    assert newcomer.full_name in page and "01/08/2026" in page
    assert exempted.full_name in page and "Được miễn công tác" in page
    assert elsewhere.full_name not in page  # outside the cycle's subtree
    client.force_login(world.secretary_b)
    assert (
        client.get(f"/reviews/{cycle.pk}/not-rated/").content.decode().count('data-testid="not-rated-row"')
        == 0
    )


def test_the_home_shows_the_open_cycle_the_own_review_and_what_waits(client, world, cycle):
    make_review(cycle, world.other_a_record, status=ReviewStatus.SUBMITTED)
    make_review(cycle, world.member_b_record, status=ReviewStatus.SUBMITTED)
    client.force_login(world.member_a)
    page = client.get("/").content.decode()
    assert 'data-testid="home-reviews"' in page and f"/reviews/{cycle.pk}/" in page
    assert "Bạn chưa bắt đầu viết bản tự kiểm điểm." in page
    client.force_login(world.secretary_a)
    page = client.get("/").content.decode()
    # Only cell A's self-review waits for secretary A; cell B's is not theirs.
    assert page.count('data-testid="waiting"') == 1 and "Đã nộp bản tự kiểm điểm: 1" in page
    cycle.status = "CLOSED"
    cycle.save()
    assert 'data-testid="home-reviews"' not in client.get("/").content.decode()


def test_the_evidence_counts_the_overdue_remedies_and_the_awards_of_the_year(client, world, cycle):
    import time_machine

    from coso.emulation.models import Award, AwardKind
    from coso.inspection.models import Remedy, RemedyStatus, Shortcoming, ShortcomingSource

    shortcoming = Shortcoming.objects.create(
        organization=world.cell_a, member=world.member_a_record, text="Chậm nộp bài thu hoạch",
        source=ShortcomingSource.SELF_REVIEW, year=2026,
    )  # fmt: skip
    for due, status in ((dt.date(2026, 10, 31), RemedyStatus.OPEN), (dt.date(2026, 12, 31), RemedyStatus.OPEN),
                        (dt.date(2026, 9, 30), RemedyStatus.VERIFIED)):  # fmt: skip
        Remedy.objects.create(
            organization=world.cell_a, shortcoming=shortcoming, responsible=world.member_a_record,
            title=f"Nộp bài đúng hạn ({due:%m})", due_date=due, year=2026, status=status,
        )  # fmt: skip
    Award.objects.create(
        kind=AwardKind.CERTIFICATE_OF_MERIT, organization=world.cell_a, member=world.member_a_record, year=2026,
        issuer="Đảng ủy phường", decision_number="15-QĐ/ĐU", decision_date=dt.date(2026, 11, 20),
    )  # fmt: skip
    review = make_review(cycle, world.member_a_record, status=ReviewStatus.SUBMITTED)
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, 0, tzinfo=TZ), tick=False):
        client.force_login(world.secretary_a)
        page = client.get(f"/reviews/r/{review.pk}/").content.decode()
    # One remedy is past its deadline and still open; the verified one and the one not yet due do not count.
    assert 'data-evidence="remedies_overdue">1<' in page and "Nộp bài đúng hạn (10)" in page
    assert 'data-evidence="awards">1<' in page and "15-QĐ/ĐU" in page


def test_a_shortcoming_found_in_a_review_becomes_a_remedy_linked_to_it(client, world, cycle):
    from coso.inspection.models import Remedy, Shortcoming

    review = make_review(cycle, world.member_a_record, status=ReviewStatus.PROPOSED)
    review.shortcomings = "Chậm nộp bài thu hoạch"
    review.save()
    client.force_login(world.secretary_a)
    page = client.get(f"/reviews/r/{review.pk}/").content.decode()
    link = f"/inspection/shortcomings/new/?org={world.cell_a.pk}&amp;review={review.pk}"
    assert link in page
    form = client.get(link.replace("&amp;", "&")).content.decode()
    assert "Chậm nộp bài thu hoạch" in form  # pre-filled from the review
    response = client.post(
        link.replace("&amp;", "&"),
        {
            "source": "SELF_REVIEW", "year": "2026", "member": world.member_a_record.pk,
            "text": "Chậm nộp bài thu hoạch", "remedy_title": "Nộp bài đúng hạn",
            "responsible": world.member_a_record.pk, "due_date": "31/01/2027",
        },
    )  # fmt: skip
    assert response.status_code == 302
    shortcoming = Shortcoming.objects.get()
    assert shortcoming.review == review and shortcoming.member == world.member_a_record
    assert Remedy.objects.get().shortcoming == shortcoming
    page = client.get(f"/reviews/r/{review.pk}/").content.decode()
    assert page.count('data-testid="found-row"') == 1 and "Nộp bài đúng hạn" in page
    # The member sees the shortcoming on their review, without the office's button.
    client.force_login(world.member_a)
    page = client.get(f"/reviews/r/{review.pk}/").content.decode()
    assert "Nộp bài đúng hạn" in page and "/inspection/shortcomings/new/" not in page


def test_a_collective_review_shows_how_its_members_were_rated(client, world, cycle):
    from coso.reviews.models import AnnualReview, ReviewKind

    for grade in ("GOOD", "GOOD", "EXCELLENT"):
        make_review(cycle, make_member(world.cell_a), status=ReviewStatus.DECIDED, grade=grade)
    make_review(
        cycle, make_member(world.cell_b), status=ReviewStatus.DECIDED, grade="COMPLETED"
    )  # another cell
    collective = AnnualReview.objects.create(
        cycle=cycle, kind=ReviewKind.COLLECTIVE, organization=world.cell_a, status=ReviewStatus.SUBMITTED,
        strengths="a", shortcomings="b", self_grade="GOOD", grade="GOOD",
    )  # fmt: skip
    client.force_login(world.commune_staff)
    page = client.get(f"/reviews/r/{collective.pk}/").content.decode()
    assert page.count('data-evidence="members-rated"') == 4
    assert 'data-evidence="members-rated">1<' in page and 'data-evidence="members-rated">2<' in page
    assert 'data-evidence="meetings"' not in page  # a collective has no personal attendance


def test_a_prompt_reaches_the_member_on_their_review_and_in_their_notifications(
    client, world, cycle, django_capture_on_commit_callbacks
):
    from coso.notifications.models import Notification
    from coso.reviews.models import ReviewPrompt

    review = make_review(cycle, world.member_a_record, status=ReviewStatus.DRAFT)
    client.force_login(world.commune_staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/reviews/r/{review.pk}/prompt/", {"text": "Làm rõ việc chậm nộp bài thu hoạch"})
    prompt = ReviewPrompt.objects.get()
    assert (prompt.member, prompt.sent_by) == (world.member_a_record, world.commune_staff)
    assert Notification.objects.filter(recipient=world.member_a, kind="reviews.prompt").count() == 1
    client.post(
        f"/reviews/{cycle.pk}/prompts/",
        {"organization": world.cell_b.pk, "text": "Vì sao sinh hoạt chưa đều?"},
    )
    listing = client.get(f"/reviews/{cycle.pk}/prompts/").content.decode()
    assert listing.count('data-testid="prompt-row"') == 2
    client.force_login(world.member_a)
    form = client.get(f"/reviews/r/{review.pk}/edit/").content.decode()
    assert "Làm rõ việc chậm nộp bài thu hoạch" in form and "Vì sao sinh hoạt chưa đều?" not in form
    # Cell A's secretary sees the prompt to cell A's member, not cell B's.
    client.force_login(world.secretary_a)
    assert client.get(f"/reviews/{cycle.pk}/prompts/").content.decode().count('data-testid="prompt-row"') == 1


def test_a_prompt_outside_the_cycle_is_refused(world, cycle):
    from coso.reviews import services

    with pytest.raises(Exception) as error:
        services.review_prompt_send(
            actor=world.province_admin, cycle=cycle, text="x", member=world.member_d_record
        )
    assert "member" in error.value.fields
