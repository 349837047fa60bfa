"""Permission matrix for the import wizard and the export.

Import needs "members.import" (office roles); the export "members.export". Jobs live in cell A, so secretary_b
is the outsider (404) where a job id is in the URL, and the cell roles are too low (403).
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coso.accounts.permissions import SYSTEM
from coso.members.importing.jobs import import_job_create
from coso.testing.matrix import Case, check_case, matrix_params, statuses

from .conftest import make_xlsx, member_row
from .test_matrix import _route_names

pytestmark = pytest.mark.usefixtures("import_media", "frozen_today")

OFFICE_GET = statuses(
    anonymous=302, province_admin=200, commune_staff=200, commune_leader=403, secretary_a=403, member_a=403,
    secretary_b=403,
)  # fmt: skip
OFFICE_POST = {**OFFICE_GET, "province_admin": 302, "commune_staff": 302}
JOB_GET = {**OFFICE_GET, "secretary_b": 404}
JOB_POST = {**OFFICE_POST, "secretary_b": 404}
EXPORT = statuses(
    anonymous=302, province_admin=200, commune_staff=200, commune_leader=200, secretary_a=403, member_a=403,
    secretary_b=403,
)  # fmt: skip


def job_url(name):
    def url(world):
        job = import_job_create(
            actor=SYSTEM, organization=world.cell_a, name="a.xlsx", data=make_xlsx([member_row()])
        )
        assert job.can_confirm, job.report
        return reverse(name, args=[job.pk])

    return url


def upload(world) -> dict:
    return {"file": SimpleUploadedFile("a.xlsx", make_xlsx([member_row()])), "organization": world.cell_a.pk}


CASES = [
    Case("members:import", lambda w: reverse("members:import"), OFFICE_GET),
    Case("members:import", lambda w: reverse("members:import"), OFFICE_POST, method="post", data=upload),
    Case("members:import_template", lambda w: reverse("members:import_template"), OFFICE_GET),
    Case("members:import_detail", job_url("members:import_detail"), JOB_GET),
    Case("members:import_progress", job_url("members:import_progress"), JOB_GET),
    Case("members:import_confirm", job_url("members:import_confirm"), JOB_POST, method="post", data=lambda w: {}),
    Case("members:export", lambda w: reverse("members:export"), EXPORT),
    Case("members:export", lambda w: reverse("members:export") + f"?org={w.cell_d.pk}", {
        **EXPORT, "commune_staff": 404, "commune_leader": 404,
    }, label="GET members:export of an organization outside scope"),
]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "persona"), matrix_params(CASES))
def test_permission_matrix(client, world, case, persona):
    check_case(client, world, case, persona)


def test_cases_cover_every_import_and_export_route():
    routes = {
        f"members:{name}"
        for name, pattern in _route_names("members").items()
        if "import" in name or "export" in name or "import" in pattern or "export" in pattern
    }
    assert {"members:import", "members:export", "members:import_confirm"} <= routes
    assert routes <= {case.route for case in CASES}, sorted(routes - {case.route for case in CASES})
