"""The import wizard: upload → preview (errors, creates, updates) → confirm → result; large files in the background."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import reverse
from openpyxl import load_workbook

from coso.members.importing import tasks
from coso.members.importing.columns import COLUMNS
from coso.members.models import ImportJob, ImportStatus, Member

from .conftest import make_csv, make_xlsx, member_row, second_row

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today", "import_media")]
UPLOAD = reverse("members:import")


def upload(client, user, data: bytes, name: str = "danh-sach.xlsx", *, into=None, world=None):
    client.force_login(user)
    organization = into or world.commune
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, data), "organization": organization.pk})


def test_upload_page_lists_the_users_recent_imports(client, world):
    ImportJob.objects.create(
        created_by=world.commune_staff, organization=world.commune, original_name="cu.xlsx"
    )
    ImportJob.objects.create(
        created_by=world.province_admin, organization=world.commune, original_name="khac.xlsx"
    )
    client.force_login(world.commune_staff)
    response = client.get(UPLOAD)
    assert response.status_code == 200
    page = response.content.decode()
    assert "cu.xlsx" in page and "khac.xlsx" not in page
    assert "Tải tệp mẫu (XLSX)" in page


def test_a_clean_file_is_previewed_then_written_on_confirmation(client, world):
    response = upload(client, world.commune_staff, make_xlsx([member_row(), second_row()]), world=world)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("members:import_detail", args=[job.pk])
    assert job.status == ImportStatus.CHECKED and job.report["ok"] and not job.background
    assert not Member.objects.filter(national_id="093185004321").exists()
    page = client.get(response.url).content.decode()
    assert "Võ Thị Thu Trang" in page and "Lê Văn Tám" in page
    assert 'data-testid="confirm"' in page
    response = client.post(reverse("members:import_confirm", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.result == {"created": 2, "updated": 0, "unchanged": 0}
    assert not job.file  # the uploaded file is removed once the job is over
    assert Member.objects.get(national_id="093185004321").organization == world.cell_a
    page = client.get(reverse("members:import_detail", args=[job.pk])).content.decode()
    assert "Đã nhập xong: thêm mới 2, cập nhật 0, giữ nguyên 0." in page


def test_a_bad_file_shows_every_error_and_cannot_be_confirmed(client, world):
    rows = [member_row(**{"Ngày sinh": "31/02/1985"}), second_row(**{"Mã chi bộ": "ZZZ"})]
    upload(client, world.commune_staff, make_xlsx(rows), world=world)
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.CHECKED and not job.report["ok"] and not job.can_confirm
    page = client.get(reverse("members:import_detail", args=[job.pk])).content.decode()
    assert "Ngày này không tồn tại; hãy ghi theo dạng dd/mm/yyyy." in page
    assert "ZZZ" in page and "Không tìm thấy chi bộ có mã hoặc tên này trong phạm vi của bạn." in page
    assert "2 dòng có lỗi" in page
    assert 'data-testid="confirm"' not in page
    count = Member.objects.count()
    client.post(reverse("members:import_confirm", args=[job.pk]))
    assert Member.objects.count() == count


def test_updates_are_shown_with_old_and_new_values(client, world):
    member = world.other_a_record
    row = {"Họ và tên": member.full_name, "Số CCCD": member.national_id, "Nghề nghiệp": "Kỹ sư"}
    row |= {"Ngày sinh": member.date_of_birth, "Giới tính": "Nam" if member.gender == "M" else "Nữ"}
    row |= {"Ngày vào Đảng": member.admitted_on, "Mã chi bộ": "A"}
    upload(client, world.commune_staff, make_csv([row]), "sua.csv", world=world)
    job = ImportJob.objects.get()
    page = client.get(reverse("members:import_detail", args=[job.pk])).content.decode()
    assert "Nghề nghiệp" in page and f"{member.occupation}</span> → Kỹ sư" in page


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("danh-sach.pdf", b"%PDF-1.4", "Chỉ nhập được tệp XLSX và CSV."),
        ("danh-sach.xlsx", b"not a workbook", "Tệp không phải là bảng tính XLSX hợp lệ."),
    ],
)
def test_wrong_file_types_are_refused_at_upload(client, world, name, data, message):
    response = upload(client, world.commune_staff, data, name, world=world)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()


def test_files_over_the_size_limit_are_refused(client, world, settings):
    settings.COSO_IMPORT_MAX_BYTES = 1024
    response = upload(client, world.commune_staff, b"x" * 2048, "lon.csv", world=world)
    assert response.status_code == 200
    assert "Tệp lớn hơn 1 MB." in response.content.decode()
    assert not ImportJob.objects.exists()


def test_an_organization_outside_the_users_scope_cannot_be_chosen(client, world):
    response = upload(
        client, world.commune_staff, make_xlsx([member_row()]), into=world.commune2, world=world
    )
    assert response.status_code == 200
    assert "Không tìm thấy tổ chức đảng này." in response.content.decode() or response.context["form"].errors
    assert not ImportJob.objects.exists()


def test_large_files_run_in_the_background_with_progress(client, world, settings, monkeypatch):
    settings.COSO_IMPORT_BACKGROUND_ROWS = 3
    rows = [
        member_row(
            **{
                "Họ và tên": f"Nguyễn Thị Số {i}",
                "Số CCCD": f"093185{i:06d}",
                "Số thẻ đảng viên": f"9500{i:04d}",
            }
        )
        for i in range(6)
    ]
    seen: list[tuple] = []
    enqueued: list[tuple] = []
    task = tasks.import_job_run

    class Spy:
        def enqueue(self, job_id, commit):
            job = ImportJob.objects.get(pk=job_id)
            enqueued.append((job.status, commit))
            return task.enqueue(job_id, commit)

    monkeypatch.setattr(tasks, "import_job_run", Spy())
    from coso.members.importing import jobs

    real_progress = jobs._progress

    def recording_progress(job_id):
        report = real_progress(job_id)

        def wrapped(done, total):
            report(done, total)
            job = ImportJob.objects.get(pk=job_id)
            seen.append((job.status, job.done, job.total))

        return wrapped

    monkeypatch.setattr(jobs, "_progress", recording_progress)
    monkeypatch.setattr("coso.members.importing.plan.PROGRESS_EVERY", 2)
    upload(client, world.commune_staff, make_xlsx(rows), world=world)
    job = ImportJob.objects.get()
    assert job.background and enqueued == [(ImportStatus.PENDING, False)]
    assert seen == [("CHECKING", 2, 6), ("CHECKING", 4, 6), ("CHECKING", 6, 6)]
    assert job.status == ImportStatus.CHECKED
    progress = client.get(reverse("members:import_progress", args=[job.pk]), headers={"HX-Request": "true"})
    assert progress.status_code == 200 and progress["HX-Refresh"] == "true"
    client.post(reverse("members:import_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert enqueued[-1] == (ImportStatus.PENDING, True)
    assert job.status == ImportStatus.DONE and (job.done, job.total) == (6, 6)
    assert Member.objects.filter(full_name__startswith="Nguyễn Thị Số").count() == 6


def test_a_running_job_page_polls_its_progress(client, world):
    job = ImportJob.objects.create(
        created_by=world.commune_staff,
        organization=world.commune,
        original_name="lon.xlsx",
        status=ImportStatus.CHECKING,
        background=True,
        total=20000,
        done=5000,
    )
    client.force_login(world.commune_staff)
    page = client.get(reverse("members:import_detail", args=[job.pk])).content.decode()
    assert f'hx-get="{reverse("members:import_progress", args=[job.pk])}"' in page
    assert "5000 / 20000 dòng" in page and "25%" in page
    assert '<progress id="import-progress-bar" class="w-100" max="20000" value="5000">' in page
    fragment = client.get(reverse("members:import_progress", args=[job.pk]), headers={"HX-Request": "true"})
    assert "HX-Refresh" not in fragment and 'hx-trigger="every 1s"' in fragment.content.decode()


@pytest.mark.parametrize(
    ("status", "done", "bar"),
    [
        (ImportStatus.WRITING, 0, '<progress id="import-progress-bar" class="w-100" aria-label="Tiến độ">'),
        (ImportStatus.WRITING, 4000, 'max="20000" value="4000">20%</progress>'),
        (ImportStatus.PENDING, 0, 'max="20000" value="0">0%</progress>'),
    ],
)
def test_the_bar_measures_the_write_once_it_reports_rows(client, world, status, done, bar):
    # SQLite reports the write only when it ends: until rows are counted the bar is indeterminate.
    job = ImportJob.objects.create(
        organization=world.commune, original_name="lon.csv", status=status, total=20000, done=done
    )
    client.force_login(world.commune_staff)
    fragment = client.get(reverse("members:import_progress", args=[job.pk]), headers={"HX-Request": "true"})
    assert bar in fragment.content.decode()


def test_preview_page_costs_a_constant_number_of_queries(client, world, django_assert_max_num_queries):
    rows = [
        member_row(
            **{
                "Họ và tên": f"Nguyễn Thị Số {i}",
                "Số CCCD": f"093185{i:06d}",
                "Số thẻ đảng viên": f"9500{i:04d}",
            }
        )
        for i in range(40)
    ]
    upload(client, world.commune_staff, make_xlsx(rows), world=world)
    job = ImportJob.objects.get()
    with django_assert_max_num_queries(8):
        response = client.get(reverse("members:import_detail", args=[job.pk]))
    assert response.status_code == 200 and response.content.decode().count("Nguyễn Thị Số") == 40


def test_the_template_has_headers_an_example_and_instructions_and_imports_cleanly(client, world):
    client.force_login(world.commune_staff)
    response = client.get(reverse("members:import_template"))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Đảng viên", "Hướng dẫn"]
    rows = list(workbook["Đảng viên"].iter_rows(values_only=True))
    assert list(rows[0]) == [column.header for column in COLUMNS]
    assert len(rows) == 2 and rows[1][0] == "Nguyễn Thị Hoà"
    guide = [row[0] for row in workbook["Hướng dẫn"].iter_rows(values_only=True)]
    assert "Cách điền danh sách đảng viên" in guide
    upload(client, world.commune_staff, response.content, "mau.xlsx", world=world)
    job = ImportJob.objects.get()
    assert job.report["ok"], job.report["errors"]
    assert job.report["counts"]["creates"] == 1
    client.post(reverse("members:import_confirm", args=[job.pk]))
    assert (
        Member.objects.filter(full_name="Nguyễn Thị Hoà").count() == 2
    )  # the world's own Hoà and the example


def test_superusers_see_import_jobs_read_only_in_the_admin(client, world):
    from coso.testing.factories import make_user

    job = ImportJob.objects.create(
        created_by=world.commune_staff, organization=world.commune, original_name="x.xlsx"
    )
    client.force_login(make_user("root", is_superuser=True, is_staff=True))
    response = client.get(reverse("admin:members_importjob_changelist"))
    assert response.status_code == 200 and "x.xlsx" in response.content.decode()
    assert client.get(reverse("admin:members_importjob_add")).status_code == 403
    assert client.get(reverse("admin:members_importjob_change", args=[job.pk])).status_code == 200


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite reports the write when it ends")
@pytest.mark.django_db(transaction=True)
def test_the_write_reports_progress_the_poll_sees_before_the_transaction_ends(world):
    from coso.members.importing import jobs

    job = ImportJob.objects.create(
        organization=world.commune, original_name="lon.csv", status=ImportStatus.WRITING, total=10
    )
    progress, close = jobs._write_progress(job.pk)
    try:
        with transaction.atomic():
            progress(4, 10)
            # The import's transaction is rolled back: the progress was saved beside it, not in it.
            transaction.set_rollback(True)
    finally:
        close()
    job.refresh_from_db()
    assert (job.done, job.total) == (4, 10)
