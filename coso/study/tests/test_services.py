"""Study rules: search without diacritics, validity chain, campaign figures, report transitions, reviewer rule,
late flag, plans (heads first)."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from coso.accounts.permissions import SYSTEM
from coso.core.exceptions import ConflictError, RuleViolation
from coso.meetings.models import AttendanceStatus, MeetingStatus
from coso.members.models import EventKind
from coso.members.services import member_record_event
from coso.notifications.models import Notification
from coso.orgs.models import PositionTitle
from coso.study import selectors, services
from coso.study.models import CommitmentResult, Grade, LearningReport, PlanStatus, ReportStatus
from coso.testing.factories import make_member, make_user

from .conftest import TZ, make_campaign, make_document, make_session, seat


# --- library -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_search_finds_documents_with_or_without_accents(world, library, form):
    for text in ["đột phá khoa học", "dot pha KHOA HOC", "57-nq"]:
        query = unicodedata.normalize(form, text)
        found = selectors.document_list(actor=world.member_a, filters=selectors.DocumentFilters(q=query))
        assert [d.pk for d in found] == [library["nq57"].pk], text


def test_search_reads_the_text_of_an_uploaded_docx(world):
    import io

    from docx import Document as Docx

    buffer = io.BytesIO()
    docx = Docx()
    docx.add_paragraph("Phát triển kinh tế tư nhân là động lực quan trọng nhất.")
    docx.save(buffer)
    upload = SimpleUploadedFile("nq68.docx", buffer.getvalue())
    document = services.document_create(
        actor=world.province_admin,
        organization=world.province,
        data={
            "kind": "RESOLUTION",
            "number": "68-NQ/TW",
            "title": "Phát triển kinh tế tư nhân",
            "issuing_body": "Bộ Chính trị",
            "issued_on": dt.date(2025, 5, 4),
        },  # fmt: skip
        upload=upload,
    )
    found = selectors.document_list(actor=world.member_a, filters=selectors.DocumentFilters(q="dong luc"))
    assert list(found) == [document]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.txt", b"hello", "PDF or Word"),
        ("fake.pdf", b"MZ\x90\x00 not a pdf", "content"),
        ("fake.docx", b"PK\x03\x04 broken zip", "content"),
    ],
)
def test_only_real_pdf_or_docx_files_are_accepted(world, name, content, message):
    with pytest.raises(RuleViolation) as exc:
        services.document_create(
            actor=world.province_admin,
            organization=world.province,
            data={
                "kind": "PLAN",
                "number": "1-KH",
                "title": "Kế hoạch",
                "issuing_body": "Tỉnh ủy",
                "issued_on": dt.date(2026, 1, 1),
            },  # fmt: skip
            upload=SimpleUploadedFile(name, content),
        )
    assert "file" in exc.value.fields


def test_a_file_over_ten_megabytes_is_refused(world):
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024))
    with pytest.raises(RuleViolation) as exc:
        services.document_create(
            actor=world.province_admin,
            organization=world.province,
            data={
                "kind": "PLAN",
                "number": "1-KH",
                "title": "Kế hoạch",
                "issuing_body": "Tỉnh ủy",
                "issued_on": dt.date(2026, 1, 1),
            },  # fmt: skip
            upload=big,
        )
    assert "file" in exc.value.fields


def test_validity_chain_lists_older_and_newer_documents(world, library):
    newest = make_document(
        world.province, number="300-QĐ/TW", title="Quy định mới", issued_on=dt.date(2026, 5, 1)
    )
    services.document_replace(actor=SYSTEM, document=library["new"], replaced_by=newest)
    library["new"].refresh_from_db()
    older, newer = selectors.document_chain(library["new"])
    assert older == [library["old"]]
    assert newer == [newest]
    older, newer = selectors.document_chain(library["old"])
    assert [d.number for d in newer] == ["232-QĐ/TW", "300-QĐ/TW"]
    in_force = selectors.document_list(
        actor=world.member_a, filters=selectors.DocumentFilters(validity="in_force")
    )
    assert library["old"] not in in_force and newest in in_force


def test_a_replacement_cannot_loop_or_be_older(world, library):
    with pytest.raises(RuleViolation):
        services.document_replace(actor=SYSTEM, document=library["new"], replaced_by=library["old"])
    with pytest.raises(RuleViolation):
        services.document_replace(actor=SYSTEM, document=library["nq57"], replaced_by=library["nq57"])


def test_documents_reach_down_the_tree_not_sideways(world, library):
    seen_by_a = set(selectors.document_list(actor=world.member_a))
    assert library["nq57"] in seen_by_a  # published by the province above cell A
    assert library["local"] not in seen_by_a  # published by commune C2, a sibling branch
    assert library["local"] in set(selectors.document_list(actor=world.province_admin))


def test_bookmark_toggles_per_user(world, library):
    assert services.bookmark_toggle(actor=world.member_a, document=library["nq57"]) is True
    mine = selectors.document_list(actor=world.member_a, filters=selectors.DocumentFilters(bookmarked=True))
    assert list(mine) == [library["nq57"]]
    assert not selectors.document_list(
        actor=world.secretary_a, filters=selectors.DocumentFilters(bookmarked=True)
    )
    assert services.bookmark_toggle(actor=world.member_a, document=library["nq57"]) is False


def test_html_in_a_summary_is_refused(world):
    with pytest.raises(RuleViolation) as exc:
        services.document_create(
            actor=world.province_admin,
            organization=world.province,
            data={
                "kind": "PLAN",
                "number": "1-KH",
                "title": "Kế hoạch",
                "issuing_body": "Tỉnh ủy",
                "issued_on": dt.date(2026, 1, 1),
                "summary": "<script>alert(1)</script>",
            },  # fmt: skip
        )
    assert "summary" in exc.value.fields


# --- campaigns -----------------------------------------------------------------------------------------------
def test_campaign_progress_counts_per_organization(world, campaign):
    exempt = make_member(world.cell_a, full_name="Võ Văn Miễn")
    member_record_event(
        actor=SYSTEM, member=exempt, kind=EventKind.EXEMPTION, occurred_on=dt.date(2026, 1, 5)
    )
    make_session(
        campaign,
        world.cell_a,
        attendance={
            world.member_a_record: AttendanceStatus.PRESENT,
            world.other_a_record: AttendanceStatus.ABSENT_EXCUSED,
        },
    )
    make_session(campaign, world.cell_b, status=MeetingStatus.PUBLISHED)
    with time_machine.travel(dt.datetime(2026, 3, 20, 10, tzinfo=TZ), tick=False):
        report = services.report_start(actor=world.member_a, campaign=campaign, member=world.member_a_record)
        services.report_update(
            actor=world.member_a, report=report, body="Bài thu hoạch", expected_version=None
        )
        services.report_submit(actor=world.member_a, report=report)

    progress = selectors.campaign_progress(actor=world.commune_staff, campaign=campaign)
    rows = {row.organization.code: row for row in progress.rows}
    assert list(rows) == ["C1", "A", "B"]
    a, b, c1 = rows["A"], rows["B"], rows["C1"]
    assert (a.required, a.exempted, a.studied, a.not_studied) == (2, 1, 1, 1)
    assert (a.sessions_held, a.counted, a.attended, a.attendance_rate) == (1, 2, 1, 50.0)
    assert (a.submitted, a.reviewed, a.late, a.not_submitted) == (1, 0, 0, 1)
    assert (b.required, b.studied, b.sessions_held, b.sessions_planned) == (1, 0, 0, 1)
    assert (c1.required, c1.studied, c1.not_studied, c1.sessions_held, c1.submitted) == (3, 1, 2, 1, 1)
    assert progress.total is c1


def test_campaign_progress_is_limited_to_the_actors_scope(world, campaign):
    progress = selectors.campaign_progress(actor=world.secretary_a, campaign=campaign)
    assert [row.organization.code for row in progress.rows] == ["A"]


def test_campaign_progress_costs_the_same_whatever_the_number_of_cells(
    world, campaign, django_assert_num_queries
):
    for i in range(6):
        from coso.testing.factories import make_org

        cell = make_org(parent=world.commune, name=f"Chi bộ thêm {i}")
        make_member(cell)
        make_session(campaign, cell, attendance={})
    # The scope, the organizations, then one grouped query each: kept member counts, members who studied,
    # sessions, attendance, reports.
    with django_assert_num_queries(7):
        progress = selectors.campaign_progress(actor=world.commune_staff, campaign=campaign)
    assert len(progress.rows) == 9
    with django_assert_num_queries(6):  # the actor's scope is known by now
        level = selectors.campaign_progress(
            actor=world.commune_staff, campaign=campaign, under=world.commune, levels=1
        )
    assert len(level.rows) == 9


def test_campaign_progress_one_level_adds_up_to_the_whole_tree(world, campaign):
    """The page lists one organization and its children; their figures are the same as in the full table (the
    export), and the children add up to their parent."""
    make_session(
        campaign,
        world.cell_a,
        attendance={world.member_a_record: AttendanceStatus.PRESENT},
    )
    full = selectors.campaign_progress(actor=world.commune_staff, campaign=campaign)
    level = selectors.campaign_progress(
        actor=world.commune_staff, campaign=campaign, under=world.commune, levels=0
    )
    assert [row.organization.code for row in level.rows] == ["C1"]
    by_code = {row.organization.code: row for row in full.rows}
    for name in selectors.ProgressRow.NUMBERS:
        assert getattr(level.rows[0], name) == getattr(by_code["C1"], name), name
        assert getattr(by_code["C1"], name) == sum(
            getattr(row, name) for row in full.rows if row.depth == 1
        ), name
    assert by_code["C1"].studied == 1


def test_a_cell_cannot_launch_a_campaign(world, library):
    with pytest.raises(RuleViolation) as exc:
        make_campaign(world.cell_a, [library["nq57"]])
    assert "organization" in exc.value.fields


def test_a_campaign_needs_a_document_and_a_sane_deadline(world):
    with pytest.raises(RuleViolation) as exc:
        make_campaign(world.commune, [])
    assert "documents" in exc.value.fields


def test_launching_notifies_the_secretaries_below(world, library):
    services.campaign_launch(
        actor=world.commune_leader, organization=world.commune, title="Học tập Chỉ thị 50",
        documents=[library["nq57"]], starts_on=dt.date(2026, 3, 1), deadline=dt.date(2026, 3, 31),
    )  # fmt: skip
    told = set(
        Notification.objects.filter(kind="study.campaign_launched").values_list(
            "recipient__username", flat=True
        )
    )
    assert {"secretary_a", "secretary_b", "commune_staff"} <= told
    assert "member_a" not in told


def test_only_launchers_may_launch(world, library):
    with pytest.raises(PermissionDenied):
        services.campaign_launch(
            actor=world.secretary_a, organization=world.commune, title="x", documents=[library["nq57"]],
            starts_on=dt.date(2026, 3, 1), deadline=dt.date(2026, 3, 31),
        )  # fmt: skip


# --- reviewers -----------------------------------------------------------------------------------------------
def test_a_cell_member_is_reviewed_by_the_cell(world):
    secretary = make_member(world.cell_a, full_name="Đỗ Văn Bí")
    seat(secretary, world.cell_a, PositionTitle.SECRETARY)
    organization, reviewer = services.reviewer_for(world.member_a_record)
    assert organization == world.cell_a
    assert reviewer == secretary


def test_a_committee_member_is_reviewed_by_the_head_of_that_committee(world):
    head = make_member(world.cell_b, full_name="Lâm Văn Trưởng")
    seat(head, world.commune, PositionTitle.SECRETARY)
    seat(world.other_a_record, world.commune, PositionTitle.MEMBER)
    organization, reviewer = services.reviewer_for(world.other_a_record)
    assert organization == world.commune
    assert reviewer == head
    # The head of the commune is reviewed one level up.
    organization, _reviewer = services.reviewer_for(head)
    assert organization == world.province


def test_a_cell_secretary_is_reviewed_by_the_committee_above(world):
    seat(world.other_a_record, world.cell_a, PositionTitle.SECRETARY)
    organization, _reviewer = services.reviewer_for(world.other_a_record)
    assert organization == world.commune


# --- learning reports ----------------------------------------------------------------------------------------
def _submitted(world, campaign, *, when=dt.datetime(2026, 3, 20, 9, tzinfo=TZ)):
    with time_machine.travel(when, tick=False):
        report = services.report_start(actor=world.member_a, campaign=campaign, member=world.member_a_record)
        report = services.report_update(
            actor=world.member_a, report=report, body="Những điều tâm đắc...", expected_version=report.version
        )
        return services.report_submit(actor=world.member_a, report=report)


def test_report_goes_draft_submitted_reviewed(world, campaign):
    report = _submitted(world, campaign)
    assert report.status == ReportStatus.SUBMITTED and not report.late
    report = services.report_review(actor=world.secretary_a, report=report, grade=Grade.GOOD, comment="Tốt")
    assert (report.status, report.grade, report.reviewed_by) == (
        ReportStatus.REVIEWED,
        Grade.GOOD,
        world.secretary_a,
    )
    assert Notification.objects.filter(recipient=world.member_a, kind="study.report_reviewed").exists()


def test_returned_report_can_be_rewritten_and_resubmitted(world, campaign):
    report = _submitted(world, campaign)
    report = services.report_return(
        actor=world.secretary_a, report=report, comment="Viết rõ hơn phần liên hệ"
    )
    assert report.status == ReportStatus.RETURNED and report.grade == Grade.REDO
    assert Notification.objects.filter(recipient=world.member_a, kind="study.report_returned").exists()
    report = services.report_update(
        actor=world.member_a, report=report, body="Bản mới", expected_version=report.version
    )
    report = services.report_submit(actor=world.member_a, report=report)
    assert report.status == ReportStatus.SUBMITTED


def test_grade_redo_returns_the_report(world, campaign):
    report = _submitted(world, campaign)
    report = services.report_review(
        actor=world.secretary_a, report=report, grade=Grade.REDO, comment="Viết lại"
    )
    assert report.status == ReportStatus.RETURNED


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (ReportStatus.DRAFT, "review"),
        (ReportStatus.DRAFT, "return"),
        (ReportStatus.REVIEWED, "submit"),
        (ReportStatus.REVIEWED, "return"),
        (ReportStatus.SUBMITTED, "submit"),
        (ReportStatus.RETURNED, "review"),
    ],
)
def test_forbidden_transitions_are_refused(world, campaign, status, action):
    report = services.report_start(actor=world.member_a, campaign=campaign, member=world.member_a_record)
    LearningReport.objects.filter(pk=report.pk).update(status=status, body="Nội dung")
    report.refresh_from_db()
    with pytest.raises(RuleViolation) as exc:
        if action == "submit":
            services.report_submit(actor=world.member_a, report=report)
        elif action == "review":
            services.report_review(actor=world.secretary_a, report=report, grade=Grade.PASS)
        else:
            services.report_return(actor=world.secretary_a, report=report, comment="x")
    assert "status" in exc.value.fields
    report.refresh_from_db()
    assert report.status == status


def test_a_submitted_report_cannot_be_edited(world, campaign):
    report = _submitted(world, campaign)
    with pytest.raises(RuleViolation):
        services.report_update(
            actor=world.member_a, report=report, body="sửa", expected_version=report.version
        )


def test_an_empty_report_cannot_be_submitted(world, campaign):
    report = services.report_start(actor=world.member_a, campaign=campaign, member=world.member_a_record)
    with pytest.raises(RuleViolation) as exc:
        services.report_submit(actor=world.member_a, report=report)
    assert "body" in exc.value.fields


def test_report_text_with_html_is_refused(world, campaign):
    report = services.report_start(actor=world.member_a, campaign=campaign, member=world.member_a_record)
    with pytest.raises(RuleViolation) as exc:
        services.report_update(actor=world.member_a, report=report, body="<b>đậm</b>", expected_version=None)
    assert "body" in exc.value.fields


def test_a_stale_edit_is_a_conflict(world, campaign):
    report = services.report_start(actor=world.member_a, campaign=campaign, member=world.member_a_record)
    services.report_update(actor=world.member_a, report=report, body="một", expected_version=report.version)
    with pytest.raises(ConflictError):
        services.report_update(
            actor=world.member_a, report=report, body="hai", expected_version=report.version
        )


def test_submitting_after_the_due_date_flags_the_report_late(world, campaign):
    on_time = _submitted(world, campaign, when=dt.datetime(2026, 4, 10, 22, tzinfo=TZ))
    assert not on_time.late
    LearningReport.objects.filter(pk=on_time.pk).update(status=ReportStatus.RETURNED)
    on_time.refresh_from_db()
    with time_machine.travel(dt.datetime(2026, 4, 11, 8, tzinfo=TZ), tick=False):
        late = services.report_submit(actor=world.member_a, report=on_time)
    assert late.late


def test_only_the_author_writes_and_only_the_assigned_level_reviews(world, campaign):
    with pytest.raises(PermissionDenied):
        services.report_start(actor=world.secretary_a, campaign=campaign, member=world.member_a_record)
    report = _submitted(world, campaign)
    with pytest.raises(PermissionDenied):
        services.report_review(actor=world.secretary_b, report=report, grade=Grade.PASS)
    with pytest.raises(PermissionDenied):
        services.report_review(actor=world.commune_staff, report=report, grade=Grade.PASS)
    with pytest.raises(PermissionDenied):
        services.report_review(actor=world.member_a, report=report, grade=Grade.PASS)


def test_a_committee_members_report_is_reviewed_by_the_committee_not_the_cell(world, campaign):
    seat(world.member_a_record, world.commune, PositionTitle.MEMBER)
    report = _submitted(world, campaign)
    assert report.reviewer_organization == world.commune
    with pytest.raises(PermissionDenied):
        services.report_review(actor=world.secretary_a, report=report, grade=Grade.PASS)
    services.report_review(actor=world.commune_leader, report=report, grade=Grade.PASS)


def test_exempted_members_and_other_branches_do_not_write_reports(world, campaign):
    user = make_user("member_d", member=world.member_d_record)
    with pytest.raises(RuleViolation):
        services.report_start(actor=user, campaign=campaign, member=world.member_d_record)


def test_reminders_are_sent_once(world, campaign):
    with time_machine.travel(dt.datetime(2026, 4, 8, 7, tzinfo=TZ), tick=False):
        assert services.reports_remind(today=dt.date(2026, 4, 8)) == 1
        assert services.reports_remind(today=dt.date(2026, 4, 8)) == 0
    assert Notification.objects.filter(recipient=world.member_a, kind="study.report_due").count() == 1


# --- plans ---------------------------------------------------------------------------------------------------
def _commitments():
    return [
        {"text": "Giữ gìn đạo đức, lối sống giản dị", "target": "Không vi phạm quy định", "deadline": dt.date(2026, 12, 31)},
        {"text": "Đọc sách về Bác", "target": "4 cuốn sách", "deadline": dt.date(2026, 9, 30)},
    ]  # fmt: skip


def test_plan_submitted_before_the_heads_is_flagged(world):
    head = make_member(world.cell_a, full_name="Đỗ Văn Bí")
    seat(head, world.cell_a, PositionTitle.SECRETARY)
    plan = services.plan_start(actor=world.member_a, member=world.member_a_record, year=2026)
    plan = services.plan_update(
        actor=world.member_a, plan=plan, commitments=_commitments(), expected_version=plan.version
    )
    plan = services.plan_submit(actor=world.member_a, plan=plan, today=dt.date(2026, 2, 1))
    assert plan.status == PlanStatus.SUBMITTED and plan.before_heads


def test_plan_submitted_after_the_heads_is_not_flagged(world):
    head = make_member(world.cell_a, full_name="Đỗ Văn Bí")
    seat(head, world.cell_a, PositionTitle.SECRETARY)
    head_user = make_user("head_a", member=head)
    head_plan = services.plan_start(actor=head_user, member=head, year=2026)
    services.plan_update(actor=head_user, plan=head_plan, commitments=_commitments(), expected_version=None)
    services.plan_submit(actor=head_user, plan=head_plan, today=dt.date(2026, 1, 20))
    plan = services.plan_start(actor=world.member_a, member=world.member_a_record, year=2026)
    services.plan_update(actor=world.member_a, plan=plan, commitments=_commitments(), expected_version=None)
    plan = services.plan_submit(actor=world.member_a, plan=plan, today=dt.date(2026, 2, 1))
    assert not plan.before_heads


def test_commitments_need_a_target_and_a_deadline_in_the_year(world):
    plan = services.plan_start(actor=world.member_a, member=world.member_a_record, year=2026)
    with pytest.raises(RuleViolation) as exc:
        services.plan_update(actor=world.member_a, plan=plan, expected_version=None,
                             commitments=[{"text": "Học tập", "target": "", "deadline": dt.date(2026, 5, 1)}])  # fmt: skip
    assert "commitments" in exc.value.fields
    with pytest.raises(RuleViolation):
        services.plan_update(actor=world.member_a, plan=plan, expected_version=None,
                             commitments=[{"text": "Học", "target": "1", "deadline": dt.date(2027, 5, 1)}])  # fmt: skip


def test_year_end_self_assessment_feeds_the_review_selector(world):
    plan = services.plan_start(actor=world.member_a, member=world.member_a_record, year=2026)
    services.plan_update(actor=world.member_a, plan=plan, commitments=_commitments(), expected_version=None)
    plan = services.plan_submit(actor=world.member_a, plan=plan, today=dt.date(2026, 2, 1))
    first, second = plan.commitments.all()
    with pytest.raises(RuleViolation):
        services.plan_assess(
            actor=world.member_a, plan=plan, results={first.pk: ("DONE", "")}, today=dt.date(2026, 6, 1)
        )
    services.plan_assess(
        actor=world.member_a,
        plan=plan,
        results={
            first.pk: (CommitmentResult.DONE, "Đã thực hiện"),
            second.pk: (CommitmentResult.PARTLY, "3/4 cuốn"),
        },
        today=dt.date(2026, 12, 5),
    )
    results = selectors.follow_through_results(
        member_ids=[world.member_a_record.pk, world.other_a_record.pk], year=2026
    )
    assert list(results) == [world.member_a_record.pk]
    result = results[world.member_a_record.pk]
    assert result.submitted and result.counts["DONE"] == 1 and result.counts["PARTLY"] == 1
    assert result.commitments[1]["note"] == "3/4 cuốn"


# --- sessions ------------------------------------------------------------------------------------------------
def test_a_session_is_a_study_meeting_of_the_cell_with_the_documents(world, campaign):
    from coso.meetings.models import MeetingKind
    from coso.meetings.selectors import meeting_list

    session = services.study_session_schedule(
        actor=world.secretary_a, campaign=campaign, organization=world.cell_a,
        starts_at=dt.datetime(2026, 3, 12, 8, tzinfo=TZ), place="Nhà văn hóa khu vực 1",
    )  # fmt: skip
    meeting = session.meeting
    assert meeting.kind == MeetingKind.STUDY and meeting.organization == world.cell_a
    assert list(meeting_list(actor=world.member_a, kind=MeetingKind.STUDY)) == [meeting]
    assert [item.title for item in meeting.agenda_items.all()][0].startswith("57-NQ/TW")
    assert meeting.documents.get().link == f"/study/documents/{campaign.documents.get().pk}/"


def test_a_cell_outside_the_campaign_cannot_hold_its_session(world, campaign):
    with pytest.raises(RuleViolation):
        services.study_session_schedule(
            actor=world.province_admin, campaign=campaign, organization=world.cell_d,
            starts_at=dt.datetime(2026, 3, 12, 8, tzinfo=TZ),
        )  # fmt: skip


def test_after_a_session_the_absentees_go_to_the_cell_and_its_committee(world, campaign):
    session = make_session(
        campaign,
        world.cell_a,
        attendance={
            world.member_a_record: AttendanceStatus.PRESENT,
            world.other_a_record: AttendanceStatus.LATE,
        },
    )
    sent = services.study_session_publish_absentees(actor=world.secretary_a, session=session)
    told = {n.recipient.username for n in sent}
    assert {"member_a", "commune_staff", "commune_leader"} <= told
    note = Notification.objects.get(recipient=world.member_a, kind="study.session_results")
    assert "Trần Văn An" in note.body and "Nguyễn Thị Hoà" not in note.body
    assert services.study_session_publish_absentees(actor=world.secretary_a, session=session) == []
    session.refresh_from_db()
    assert session.absentees_published_at is not None


def test_the_reminder_command_is_idempotent(world, campaign):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("study_reminders", "--today", "2026-04-09", stdout=out)
    call_command("study_reminders", "--today", "2026-04-09", stdout=out)
    assert out.getvalue().splitlines() == ["1 reminder(s) sent", "0 reminder(s) sent"]
