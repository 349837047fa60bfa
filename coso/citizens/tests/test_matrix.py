"""Permission matrix for every citizens page, public page, Open311 route and API operation.

The feedback item is received by commune C1 and handled by cell A, in a category that hides the reporter: the
commune's office and heads see the contact, cell A's secretary handles without seeing it, party members do not
see citizens' feedback (404), and secretary_b is the outsider (404). Public routes answer everyone, the
anonymous citizen included.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from coso.accounts import permissions
from coso.citizens import services
from coso.citizens.models import Category, Dialogue, EvidenceRequired, ReceptionDay, RoutingRule
from coso.orgs.models import Committee, CommitteeKind, Position, PositionTitle, Term
from coso.testing.matrix import Case, check_case, matrix_params, statuses

from .conftest import photo_file

JSON = "application/json"


def st(anonymous, admin, staff, leader, sec_a, member, sec_b):
    return statuses(
        anonymous=anonymous, province_admin=admin, commune_staff=staff, commune_leader=leader, secretary_a=sec_a,
        member_a=member, secretary_b=sec_b,
    )  # fmt: skip


PUBLIC_GET = st(200, 200, 200, 200, 200, 200, 200)
PUBLIC_POST = st(302, 302, 302, 302, 302, 302, 302)
NOT_PUBLIC = st(404, 404, 404, 404, 404, 404, 404)
VIEWERS = st(302, 200, 200, 200, 200, 403, 200)
ITEM = st(302, 200, 200, 200, 200, 404, 404)
ITEM_POST = st(302, 302, 302, 302, 302, 404, 404)
# A hidden reporter: only the receiving commune's own office and heads (not the province admin through the subtree).
CONTACT = st(302, 403, 200, 200, 403, 404, 404)
RECEIVE_POST = st(302, 302, 302, 403, 404, 404, 404)
COMMUNE = st(302, 200, 200, 200, 404, 404, 404)
ROUTING = st(302, 200, 200, 403, 403, 403, 403)
ROUTING_DELETE = st(302, 302, 302, 403, 403, 404, 404)
API_PUBLIC = st(200, 200, 200, 200, 200, 200, 200)
API_PUBLIC_CREATE = st(201, 201, 201, 201, 201, 201, 201)
API_VIEWERS = st(401, 200, 200, 200, 200, 403, 200)
API_ITEM = st(401, 200, 200, 200, 200, 404, 404)
API_CONTACT = st(401, 403, 200, 200, 403, 404, 404)
API_IN_A_CREATE = st(401, 201, 201, 201, 201, 404, 404)
API_COMMUNE_CREATE = st(401, 201, 201, 201, 404, 404, 404)
API_ROUTING_CREATE = st(401, 201, 201, 403, 403, 404, 404)


def category(world) -> Category:
    return Category.objects.get_or_create(
        code="roads",
        defaults={"name": "Đường sá", "evidence_required": EvidenceRequired.NONE, "hide_reporter": True},
    )[0]


# The reporter's secret of the last item filed (the URL is built before the data, so the data can send it).
LAST_SECRET: dict[str, str] = {}


def received(world):
    item = services.feedback_create(
        actor=None, category=category(world), area=world.cell_a, title="Đèn hỏng", description="Đèn đường hỏng",
        reporter_name="Nguyễn Văn Dân", reporter_phone="0909123456", consent=True, files=[photo_file()],
    )  # fmt: skip
    LAST_SECRET["secret"] = item.reporter_secret
    return item


def assigned(world):
    return services.feedback_assign(
        actor=permissions.SYSTEM, feedback=received(world), organization=world.cell_a
    )


def answered(world):
    return services.feedback_answer(actor=permissions.SYSTEM, feedback=assigned(world), answer="Đã sửa")


def head(world):
    term = Term.objects.create(organization=world.commune, name="2025–2030", starts_on=dt.date(2025, 9, 1))
    committee = Committee.objects.create(organization=world.commune, term=term, kind=CommitteeKind.EXECUTIVE)
    Position.objects.create(
        committee=committee,
        member=world.member_b_record,
        title=PositionTitle.SECRETARY,
        starts_on=term.starts_on,
    )
    return world.member_b_record


def reception(world):
    return ReceptionDay.objects.create(
        organization=world.commune,
        head=head(world),
        date=dt.date(2026, 3, 5),
        place="Trụ sở",
        status="PLANNED",
    )


def dialogue(world):
    return Dialogue.objects.create(
        organization=world.cell_a, kind="MEMBERS", topic="Đối thoại", date=dt.date(2026, 3, 1)
    )


def rule(world):
    return RoutingRule.objects.create(category=category(world), area=world.cell_a, responsible=world.cell_a)


def act(action, make, data=None, expect=ITEM_POST):
    return Case(
        "citizens:feedback_act",
        lambda w: reverse("citizens:feedback_act", args=[make(w).pk, action]),
        expect,
        method="post",
        data=data or (lambda w: {}),
        label=f"POST citizens:feedback_act {action}",
    )


def portal_form(w):
    return {
        "commune": w.commune.code, "category": category(w).pk, "kind": "REPORT", "area": w.cell_a.pk,
        "description": "Ổ gà giữa đường",
    }  # fmt: skip


def with_file(w):
    item = received(w)
    return reverse("citizens:attachment", args=[item.pk, item.attachments.get().pk])


def public_file(w):
    item = received(w)
    return reverse("citizens:public_attachment", args=[item.code, item.attachments.get().pk])


CASES = [
    # Public pages.
    Case("citizens:portal", lambda w: reverse("citizens:portal") + f"?commune={w.commune.code}", PUBLIC_GET),
    Case(
        "citizens:portal", lambda w: reverse("citizens:portal"), PUBLIC_POST, method="post", data=portal_form
    ),
    Case("citizens:track_lookup", lambda w: reverse("citizens:track_lookup"), PUBLIC_GET),
    Case("citizens:track", lambda w: reverse("citizens:track", args=[received(w).code]), PUBLIC_GET),
    Case(
        "citizens:rate",
        lambda w: reverse("citizens:rate", args=[answered(w).code]),
        PUBLIC_POST,
        method="post",
        data=lambda w: {"rating": 5, "secret": LAST_SECRET["secret"]},
    ),
    Case(
        "citizens:reopen",
        lambda w: reverse("citizens:reopen", args=[answered(w).code]),
        PUBLIC_POST,
        method="post",
        data=lambda w: {"text": "Vẫn hỏng", "secret": LAST_SECRET["secret"]},
    ),
    # The citizen's own photo: not with the tracking code alone (the reporter proves it in the session).
    Case("citizens:public_attachment", public_file, NOT_PUBLIC),
    Case("citizens:transparency_index", lambda w: reverse("citizens:transparency_index"), PUBLIC_GET),
    Case(
        "citizens:transparency", lambda w: reverse("citizens:transparency", args=[w.commune.code]), PUBLIC_GET
    ),
    Case("citizens:public_reception", lambda w: reverse("citizens:public_reception"), PUBLIC_GET),
    Case(
        "citizens:public_reception",
        lambda w: reverse("citizens:public_reception") + f"?commune={w.commune.code}",
        PUBLIC_GET,
    ),
    Case("citizens:public_dialogues", lambda w: reverse("citizens:public_dialogues"), PUBLIC_GET),
    Case(
        "citizens:public_dialogues",
        lambda w: reverse("citizens:public_dialogues") + f"?commune={w.commune.code}",
        PUBLIC_GET,
    ),
    # Open311.
    Case("citizens:open311_services", lambda w: reverse("citizens:open311_services"), PUBLIC_GET),
    Case("citizens:open311_requests", lambda w: reverse("citizens:open311_requests"), PUBLIC_GET),
    Case(
        "citizens:open311_requests",
        lambda w: reverse("citizens:open311_requests"),
        API_PUBLIC_CREATE,
        method="post",
        data=lambda w: {"service_code": category(w).code, "address_id": w.cell_a.code, "description": "Ổ gà"},
    ),
    Case(
        "citizens:open311_request",
        lambda w: reverse("citizens:open311_request", args=[received(w).public_id]),
        PUBLIC_GET,
    ),
    # Staff pages.
    Case("citizens:inbox", lambda w: reverse("citizens:inbox"), VIEWERS),
    Case("citizens:feedback_new", lambda w: reverse("citizens:feedback_new"), VIEWERS),
    Case(
        "citizens:feedback_new",
        lambda w: reverse("citizens:feedback_new"),
        st(302, 302, 302, 302, 302, 403, 200),  # secretary_b's form comes back: cell A is not in its list
        method="post",
        data=lambda w: {
            "channel": "WALK_IN",
            "kind": "REPORT",
            "category": category(w).pk,
            "area": w.cell_a.pk,
            "description": "Phản ánh trực tiếp",
        },  # fmt: skip
    ),
    Case(
        "citizens:feedback_detail", lambda w: reverse("citizens:feedback_detail", args=[assigned(w).pk]), ITEM
    ),
    Case(
        "citizens:feedback_contact",
        lambda w: reverse("citizens:feedback_contact", args=[assigned(w).pk]),
        CONTACT,
    ),
    Case("citizens:attachment", with_file, st(302, 200, 200, 200, 404, 404, 404)),
    act("start", assigned),
    act("answer", assigned, lambda w: {"answer": "Đã thay bóng đèn"}),
    act("note", assigned, lambda w: {"text": "Đang liên hệ điện lực"}),
    act(
        "assign",
        received,
        lambda w: {"organization": w.cell_a.pk, "kind": "REPORT", "category": category(w).pk},
        RECEIVE_POST,
    ),  # fmt: skip
    act("reject", received, lambda w: {"reason": "Không thuộc thẩm quyền"}, RECEIVE_POST),
    Case("citizens:reception_overview", lambda w: reverse("citizens:reception_overview"), VIEWERS),
    Case(
        "citizens:reception_calendar",
        lambda w: reverse("citizens:reception_calendar", args=[w.commune.pk]),
        COMMUNE,
    ),  # fmt: skip
    Case("citizens:reception_new", lambda w: reverse("citizens:reception_new", args=[w.commune.pk]), COMMUNE),
    Case(
        "citizens:reception_new",
        lambda w: reverse("citizens:reception_new", args=[w.commune.pk]),
        st(302, 302, 302, 302, 404, 404, 404),
        method="post",
        data=lambda w: {
            "head": head(w).pk,
            "date": "05/03/2026",
            "kind": "REGULAR",
            "status": "HELD",
            "place": "Trụ sở",
            "citizens_count": 3,
        },  # fmt: skip
    ),
    Case(
        "citizens:reception_edit",
        lambda w: reverse("citizens:reception_edit", args=[reception(w).pk]),
        COMMUNE,
    ),
    Case("citizens:dialogue_list", lambda w: reverse("citizens:dialogue_list"), VIEWERS),
    Case("citizens:dialogue_new", lambda w: reverse("citizens:dialogue_new"), VIEWERS),
    Case(
        "citizens:dialogue_detail", lambda w: reverse("citizens:dialogue_detail", args=[dialogue(w).pk]), ITEM
    ),
    Case("citizens:dialogue_edit", lambda w: reverse("citizens:dialogue_edit", args=[dialogue(w).pk]), ITEM),
    Case(
        "citizens:dialogue_invite",
        lambda w: reverse("citizens:dialogue_invite", args=[dialogue(w).pk]),
        ITEM_POST,
        method="post",
    ),
    Case("citizens:routing", lambda w: reverse("citizens:routing"), ROUTING),
    Case(
        "citizens:routing_delete",
        lambda w: reverse("citizens:routing_delete", args=[rule(w).pk]),
        ROUTING_DELETE,
        method="post",
    ),
    # API, public.
    Case("api:feedback_public_categories", lambda w: reverse("api:feedback_public_categories"), API_PUBLIC),
    Case(
        "api:feedback_public_submit",
        lambda w: reverse("api:feedback_public_submit"),
        API_PUBLIC_CREATE,
        method="post",
        data=lambda w: {"category": category(w).code, "area": w.cell_a.code, "description": "Ổ gà"},
    ),
    Case(
        "api:feedback_public_detail",
        lambda w: reverse("api:feedback_public_detail", args=[received(w).code]),
        API_PUBLIC,
    ),
    Case(
        "api:feedback_public_rate",
        lambda w: reverse("api:feedback_public_rate", args=[answered(w).code]),
        API_PUBLIC,
        method="post",
        data=lambda w: {"rating": 4, "secret": LAST_SECRET["secret"]},
        content_type=JSON,
    ),
    Case(
        "api:feedback_public_reopen",
        lambda w: reverse("api:feedback_public_reopen", args=[answered(w).code]),
        API_PUBLIC,
        method="post",
        data=lambda w: {"text": "Vẫn hỏng", "secret": LAST_SECRET["secret"]},
        content_type=JSON,
    ),
    Case("api:transparency", lambda w: reverse("api:transparency", args=[w.commune.code]), API_PUBLIC),
    # API, staff.
    Case("api:feedback_list", lambda w: reverse("api:feedback_list"), API_VIEWERS),
    Case(
        "api:feedback_create",
        lambda w: reverse("api:feedback_create"),
        API_IN_A_CREATE,
        method="post",
        data=lambda w: {
            "category": category(w).code,
            "area": w.cell_a.code,
            "description": "Phản ánh qua điện thoại",
            "channel": "PHONE",
        },  # fmt: skip
        content_type=JSON,
    ),
    Case("api:feedback_detail", lambda w: reverse("api:feedback_detail", args=[assigned(w).pk]), API_ITEM),
    Case(
        "api:feedback_contact", lambda w: reverse("api:feedback_contact", args=[assigned(w).pk]), API_CONTACT
    ),
    Case(
        "api:feedback_act",
        lambda w: reverse("api:feedback_act", args=[assigned(w).pk, "start"]),
        API_ITEM,
        method="post",
        label="POST api:feedback_act start",
    ),
    Case("api:reception_compliance", lambda w: reverse("api:reception_compliance"), API_VIEWERS),
    Case("api:reception_day_list", lambda w: reverse("api:reception_day_list"), API_VIEWERS),
    Case(
        "api:reception_day_create",
        lambda w: reverse("api:reception_day_create"),
        API_COMMUNE_CREATE,
        method="post",
        data=lambda w: {
            "organization": w.commune.code,
            "head": head(w).pk,
            "date": "2026-03-05",
            "place": "Trụ sở",
        },
        content_type=JSON,
    ),
    Case("api:dialogue_list", lambda w: reverse("api:dialogue_list"), API_VIEWERS),
    Case(
        "api:dialogue_create",
        lambda w: reverse("api:dialogue_create"),
        API_IN_A_CREATE,
        method="post",
        data=lambda w: {
            "organization": w.cell_a.code,
            "kind": "DOOR_TO_DOOR",
            "topic": "Đi từng ngõ",
            "date": "2026-03-01",
        },  # fmt: skip
        content_type=JSON,
    ),
    Case("api:routing_rule_list", lambda w: reverse("api:routing_rule_list"), API_VIEWERS),
    Case(
        "api:routing_rule_create",
        lambda w: reverse("api:routing_rule_create"),
        API_ROUTING_CREATE,
        method="post",
        data=lambda w: {"area": w.cell_a.code, "responsible": w.cell_a.code, "category": category(w).code},
        content_type=JSON,
    ),
]


@pytest.fixture(autouse=True)
def _loose_rate_limit(settings):
    settings.COSO_CITIZENS_SUBMIT_RATE = "1000/h"


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "persona"), matrix_params(CASES))
def test_permission_matrix(client, world, case, persona):
    check_case(client, world, case, persona)
