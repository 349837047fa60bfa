"""The import → fix → import → export → re-import round of issue 2, in a real browser on the demo data.

Skipped with a clear message when chromium is not installed (`apt-get install chromium`).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from coso.demo.accounts import account
from coso.demo.loader import load_demo
from coso.members.models import Member
from coso.orgs.models import Organization
from coso.testing.browser import CHROMIUM, DESKTOP, PHONE, log_in

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
SAMPLES = Path(__file__).resolve().parents[3] / "docs" / "samples"
_chromium = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not _chromium, reason=f"chromium not found at {CHROMIUM}: `apt-get install chromium`"),
]


@pytest.fixture
def page(page_factory, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return page_factory(viewport=PHONE, accept_downloads=True)


def upload(page, live_server, path: Path, ward: Organization) -> None:
    page.goto(f"{live_server.url}/members/import/")
    page.set_input_files("#id_file", str(path))
    page.select_option("#id_organization", value=str(ward.pk))
    page.click("[data-testid=upload]")
    page.wait_for_load_state("networkidle")


def test_messy_file_then_clean_file_then_export_and_reimport(page, live_server, tmp_path):
    load_demo(scale=0.05)
    staff = account("phuong1")
    ward = Organization.objects.get(code=staff.org_code)
    log_in(page, live_server, staff.username, staff.password)
    before = Member.objects.count()

    upload(page, live_server, SAMPLES / "members-messy.xlsx", ward)
    errors = page.locator("[data-testid=errors] tbody tr")
    assert errors.count() == 9, page.inner_text("[data-testid=errors]")
    assert "Ngày này không tồn tại" in page.inner_text("[data-testid=errors]")
    assert page.locator("[data-testid=confirm]").count() == 0
    assert Member.objects.count() == before

    upload(page, live_server, SAMPLES / "members-clean.xlsx", ward)
    assert page.locator("[data-testid=creates] tbody tr").count() == 8
    page.click("[data-testid=confirm]")
    page.wait_for_load_state("networkidle")
    assert "Đã nhập xong: thêm mới 8" in page.inner_text("[data-testid=result]")
    assert Member.objects.count() == before + 8

    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/members/?org={ward.pk}")
    with page.expect_download() as download:
        page.click("[data-testid=export]")
    exported = tmp_path / "export.xlsx"
    download.value.save_as(exported)
    upload(page, live_server, exported, ward)
    counts = page.inner_text("[data-testid=counts]")
    assert page.locator("[data-testid=nothing-to-do]").count() == 1
    assert page.locator("[data-testid=errors]").count() == 0, page.inner_text("main")
    assert (
        page.locator("[data-testid=creates]").count() == 0
        and page.locator("[data-testid=updates]").count() == 0
    )
    assert (
        str(
            Member.objects.filter(
                organization__path__startswith=ward.path, status__in=["FULL", "PROBATIONARY", "EXEMPT"]
            ).count()
        )
        in counts
    )
