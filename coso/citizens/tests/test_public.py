"""The public portal: filing, tracking code, rating, reporting again, rate limit, uploads, no HTML, Open311."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coso.citizens import services
from coso.citizens.models import Feedback, FeedbackKind, FeedbackStatus
from coso.citizens.places import place_name

from .conftest import answered, assign, file_report, photo_file


def portal_data(world, category, **extra):
    data = {
        "commune": world.commune.code,
        "category": category.pk,
        "kind": "REPORT",
        "area": world.cell_a.pk,
        "address": "Hẻm 5, đường Trần Hưng Đạo",
        "description": "Ống nước bể, nước chảy tràn ra đường.",
        "reporter_name": "",
        "reporter_phone": "",
        "reporter_email": "",
    }
    data.update(extra)
    return data


def test_portal_asks_for_the_commune_first(client, world, roads):
    response = client.get(reverse("citizens:portal"))
    assert response.status_code == 200
    assert place_name(world.commune) in response.content.decode()


def test_portal_lists_communes_and_wards_not_agencies(client, world, roads):
    from coso.orgs.models import OrgKind
    from coso.testing.factories import make_org

    agency = make_org(
        name="Đảng bộ Công an tỉnh", kind=OrgKind.GRASSROOTS_COMMITTEE, parent=world.province, code="CA"
    )
    page = client.get(reverse("citizens:portal")).content.decode()
    assert place_name(world.commune) in page and place_name(world.commune2) in page
    assert place_name(agency) not in page
    school = make_org(name="Chi bộ Trường Tiểu học", kind=OrgKind.CELL, parent=world.commune, code="TH")
    areas = client.get(reverse("citizens:portal"), {"commune": world.commune.code}).context["form"]
    assert set(areas.fields["area"].queryset) == {world.commune, world.cell_a, world.cell_b}
    assert school not in areas.fields["area"].queryset


def test_citizen_files_a_report_and_gets_a_code_on_the_status_page(client, world, roads):
    response = client.post(reverse("citizens:portal"), portal_data(world, roads, files=[photo_file()]))
    assert response.status_code == 302
    item = Feedback.objects.get()
    assert response["Location"] == reverse("citizens:track", args=[item.code])
    page = client.get(response["Location"]).content.decode()
    assert item.code in page and 'data-testid="filed"' in page
    assert item.attachments.count() == 1 and item.receiving_org == world.commune


def test_contact_without_consent_is_refused_and_the_input_kept(client, world, roads):
    data = portal_data(world, roads, reporter_name="Trần Thị Mai", reporter_phone="0912345678")
    response = client.post(reverse("citizens:portal"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-field="consent"' in page and "Trần Thị Mai" in page
    assert not Feedback.objects.exists()


def test_html_in_the_description_is_refused(client, world, roads):
    data = portal_data(world, roads, description="Xem <script>alert(1)</script> nhé")
    response = client.post(reverse("citizens:portal"), data)
    assert response.status_code == 200
    assert 'data-field="description"' in response.content.decode()
    assert not Feedback.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("anh.jpg", b"this is not a jpeg at all"),
        ("hinh.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("trang.html", b"<html><body>hi</body></html>"),
        ("virus.exe", b"MZ\x90\x00\x03"),
    ],
)
def test_uploads_that_are_not_photos_or_pdfs_are_refused(client, world, roads, name, content):
    upload = SimpleUploadedFile(name, content, content_type="image/jpeg")
    response = client.post(reverse("citizens:portal"), portal_data(world, roads, files=[upload]))
    assert response.status_code == 200
    assert 'data-field="files"' in response.content.decode()
    assert not Feedback.objects.exists()


def test_oversized_upload_is_refused(client, world, roads):
    big = SimpleUploadedFile(
        "big.pdf", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024 + 10), content_type="application/pdf"
    )
    response = client.post(reverse("citizens:portal"), portal_data(world, roads, files=[big]))
    assert response.status_code == 200
    assert "5 MB" in response.content.decode()
    assert not Feedback.objects.exists()


def test_portal_is_rate_limited_per_ip(client, world, roads, settings):
    settings.COSO_CITIZENS_SUBMIT_RATE = "2/h"
    for _i in range(2):
        assert client.post(reverse("citizens:portal"), portal_data(world, roads)).status_code == 302
    response = client.post(reverse("citizens:portal"), portal_data(world, roads))
    assert response.status_code == 429
    assert Feedback.objects.count() == 2
    # Another address is not affected.
    other = client.post(reverse("citizens:portal"), portal_data(world, roads), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


def test_status_page_shows_the_answer_with_its_photo_and_takes_the_rating(client, world, roads):
    item = answered(world, roads)
    # A code typed in lower case without the dash still finds the item.
    assert client.get(reverse("citizens:track", args=[item.code.lower().replace("-", "")])).status_code == 200
    page = client.get(reverse("citizens:track", args=[item.code])).content.decode()
    assert "Đã thay bóng đèn" in page and 'data-testid="evidence-photo"' in page
    assert "Nguyễn Văn Dân" not in page and "0909123456" not in page  # the reporter is never public
    photo = item.attachments.get(update__isnull=False)
    assert client.get(reverse("citizens:public_attachment", args=[item.code, photo.pk])).status_code == 200
    response = client.post(
        reverse("citizens:rate", args=[item.code]),
        {"rating": 4, "comment": "Tốt", "secret": item.reporter_secret},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.rating) == (FeedbackStatus.CLOSED, 4)


def test_a_low_rating_asks_whether_to_report_again_before_closing(client, world, roads):
    item = answered(world, roads)
    url = reverse("citizens:rate", args=[item.code])
    data = {"rating": 2, "comment": "Đèn vẫn chập chờn", "secret": item.reporter_secret}
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200 and 'data-testid="low-rating-question"' in html
    assert "Bạn chấm 2/5 sao." in html and 'id="report-again" open' in html
    assert "Đèn vẫn chập chờn</textarea>" in html, "the comment is carried to the new report"
    item.refresh_from_db()
    assert (item.status, item.rating) == (FeedbackStatus.ANSWERED, None), "nothing is closed yet"
    # Choosing to rate anyway closes it with the low rating (the browser already proved it filed the report).
    assert (
        client.post(url, {"rating": 2, "comment": "Đèn vẫn chập chờn", "low_confirmed": "1"}).status_code
        == 302
    )
    item.refresh_from_db()
    assert (item.status, item.rating) == (FeedbackStatus.CLOSED, 2)


def test_a_rating_of_three_closes_at_once(client, world, roads):
    item = answered(world, roads)
    response = client.post(
        reverse("citizens:rate", args=[item.code]), {"rating": 3, "secret": item.reporter_secret}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.rating) == (FeedbackStatus.CLOSED, 3)


def test_the_rating_form_shows_five_stars(client, world, roads):
    item = answered(world, roads)
    html = client.get(reverse("citizens:track", args=[item.code])).content.decode()
    stars = re.search(r'<div class="star-rating" data-testid="stars">(.*?)</div>', html, re.S).group(1)
    assert stars.count('type="radio"') == 5 and stars.count("★") == 5
    assert "1/5 sao" in stars and "5/5 sao" in stars


def test_citizen_reports_again_when_not_fixed(client, world, roads):
    item = answered(world, roads)
    data = {"text": "Đèn lại tắt", "secret": item.reporter_secret}
    response = client.post(reverse("citizens:reopen", args=[item.code]), data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == FeedbackStatus.REOPENED and item.reopen_count == 1


def test_rating_out_of_range_is_a_400_naming_the_field(client, world, roads):
    item = answered(world, roads)
    response = client.post(
        reverse("citizens:rate", args=[item.code]), {"rating": 9, "secret": item.reporter_secret}
    )
    assert response.status_code == 400
    assert 'data-field="rating"' in response.content.decode()


def test_denunciation_content_is_never_public(client, world, order_cat):
    item = file_report(world, order_cat, kind=FeedbackKind.DENUNCIATION, description="Cán bộ X nhận tiền")
    page = client.get(reverse("citizens:track", args=[item.code])).content.decode()
    assert "Cán bộ X nhận tiền" not in page
    assert client.get(reverse("citizens:open311_request", args=[item.public_id])).status_code == 404
    assert client.get(reverse("citizens:open311_request", args=[item.code])).status_code == 404


def test_track_lookup_normalizes_the_typed_code(client, world, roads):
    item = file_report(world, roads)
    typed = item.code.replace("-", " ").lower()
    response = client.get(reverse("citizens:track_lookup"), {"code": typed})
    assert response["Location"] == reverse("citizens:track", args=[item.code])
    assert client.get(reverse("citizens:track", args=["ZZZZ-ZZZZ"])).status_code == 404


def test_a_mistyped_code_shows_the_form_again_with_not_found(client, world, roads):
    file_report(world, roads)
    response = client.get(reverse("citizens:track_lookup"), {"code": "zzzz-zzz2"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Không tìm thấy mã này" in page
    assert 'value="zzzz-zzz2"' in page  # the form keeps what was typed


# ---------------------------------------------------------------------------------------------------- Open311


def test_open311_services_lists_public_categories(client, world, roads, order_cat):
    order_cat.public = False
    order_cat.save()
    rows = client.get(reverse("citizens:open311_services")).json()
    assert [r["service_code"] for r in rows] == ["roads"]
    assert rows[0]["service_name"] == roads.name and rows[0]["metadata"] is False


def test_open311_post_creates_a_request_and_get_reads_it(client, world, roads):
    response = client.post(
        reverse("citizens:open311_requests"),
        {
            "service_code": "roads",
            "address_id": world.cell_a.code,
            "description": "Ổ gà lớn giữa đường",
            "lat": "9.7845",
            "long": "105.4701",
            "api_key": "anything",
        },
    )
    assert response.status_code == 201
    answer = response.json()[0]
    code = answer["service_request_id"]
    item = Feedback.objects.get(public_id=code)
    # The filer (and only the filer) gets the tracking code and the secret to hand to the citizen.
    assert answer["tracking_code"] == item.code and answer["reporter_secret"]
    assert item.channel == "API" and float(item.latitude) == pytest.approx(9.7845)
    detail = client.get(reverse("citizens:open311_request", args=[code])).json()[0]
    assert (
        detail["status"] == "open"
        and detail["service_code"] == "roads"
        and detail["lat"] == pytest.approx(9.7845)
    )
    listed = client.get(
        reverse("citizens:open311_requests"), {"service_code": "roads", "status": "open"}
    ).json()
    assert [r["service_request_id"] for r in listed] == [code]
    assert client.get(reverse("citizens:open311_requests"), {"status": "closed"}).json() == []


def test_open311_post_validates_like_the_portal(client, world, roads):
    bad = client.post(
        reverse("citizens:open311_requests"),
        {"service_code": "roads", "address_id": world.cell_a.code, "description": "<b>x</b>"},
    )
    assert bad.status_code == 400 and bad.json()[0]["code"] == "description"
    unknown = client.post(reverse("citizens:open311_requests"), {"service_code": "nope", "description": "x"})
    assert unknown.status_code == 400 and unknown.json()[0]["code"] == "service_code"


def test_open311_post_is_rate_limited(client, world, roads, settings):
    settings.COSO_CITIZENS_SUBMIT_RATE = "1/h"
    data = {"service_code": "roads", "address_id": world.cell_a.code, "description": "Ổ gà"}
    assert client.post(reverse("citizens:open311_requests"), data).status_code == 201
    assert client.post(reverse("citizens:open311_requests"), data).status_code == 429


def test_open311_list_filters_dates_and_hides_denunciations(client, world, roads, order_cat):
    file_report(world, order_cat, kind=FeedbackKind.DENUNCIATION)
    kept = file_report(world, roads)
    rows = client.get(reverse("citizens:open311_requests"), {"start_date": "2000-01-01"}).json()
    assert [r["service_request_id"] for r in rows] == [kept.public_id]
    assert client.get(reverse("citizens:open311_requests"), {"end_date": "2000-01-01"}).json() == []
    assert client.get(reverse("citizens:open311_requests"), {"start_date": "hôm qua"}).status_code == 400


# ---------------------------------------------------------------------------------------------------- the reporter's secret


def test_open311_list_publishes_no_tracking_code(client, world, roads):
    item = file_report(world, roads)
    body = client.get(reverse("citizens:open311_requests")).content.decode()
    assert item.public_id in body
    assert item.code not in body and item.code.replace("-", "") not in body
    # The public id opens nothing of the citizen's.
    assert client.get(reverse("citizens:track", args=[item.public_id])).status_code == 404


def test_the_portal_shows_the_secret_once_and_stores_only_its_hash(client, world, roads):
    response = client.post(reverse("citizens:portal"), portal_data(world, roads), follow=True)
    secret = response.context["secret"]
    item = Feedback.objects.get()
    assert secret and secret in response.content.decode()
    assert secret not in item.reporter_secret_hash and item.reporter_secret_hash
    again = client.get(reverse("citizens:track", args=[item.code])).content.decode()
    assert secret not in again


@pytest.mark.parametrize("action", ["rate", "reopen"])
def test_rate_and_reopen_with_the_code_only_are_refused_in_vietnamese(client, world, roads, action):
    item = answered(world, roads)
    data = {"rating": 1, "comment": "x"} if action == "rate" else {"text": "Vẫn hỏng"}
    for secret in ("", "AAAAA-BBBBB"):
        response = client.post(reverse(f"citizens:{action}", args=[item.code]), {**data, "secret": secret})
        assert response.status_code == 403
        assert "Chỉ người đã gửi phản ánh" in response.content.decode()
    item.refresh_from_db()
    assert item.status == FeedbackStatus.ANSWERED and item.rating is None


@pytest.mark.parametrize("action", ["rating", "reopen"])
def test_api_rate_and_reopen_need_the_secret(client, world, roads, action):
    item = answered(world, roads)
    url = reverse(f"api:feedback_public_{'rate' if action == 'rating' else 'reopen'}", args=[item.code])
    data = {"rating": 5} if action == "rating" else {"text": "Vẫn hỏng"}
    refused = client.post(url, data, content_type="application/json")
    assert refused.status_code == 403
    body = refused.json()
    assert body["code"] == "reporter_secret" and "secret" in body["fields"]
    assert "Chỉ người đã gửi phản ánh" in body["message"]
    ok = client.post(url, {**data, "secret": item.reporter_secret.lower()}, content_type="application/json")
    assert ok.status_code == 200


def test_api_submit_returns_the_secret_once(client, world, roads):
    response = client.post(
        reverse("api:feedback_public_submit"),
        {"category": roads.code, "area": world.cell_a.code, "description": "Ổ gà"},
    )
    assert response.status_code == 201
    body = response.json()
    item = Feedback.objects.get(code=body["code"])
    assert body["public_id"] == item.public_id
    rated = reverse("api:feedback_public_detail", args=[item.code])
    assert "secret" not in client.get(rated).json()


def test_the_citizens_photo_needs_the_secret_but_the_answers_evidence_does_not(client, world, roads):
    filed = file_report(world, roads, files=[photo_file()])
    item = services.feedback_answer(
        actor=world.secretary_a, feedback=assign(world, filed), answer="Đã sửa", files=[photo_file()]
    )
    own = item.attachments.get(update__isnull=True)
    evidence = item.attachments.get(update__isnull=False)
    own_url = reverse("citizens:public_attachment", args=[item.code, own.pk])
    assert client.get(own_url).status_code == 404
    assert client.get(reverse("citizens:public_attachment", args=[item.code, evidence.pk])).status_code == 200
    assert own_url not in client.get(reverse("citizens:track", args=[item.code])).content.decode()
    # Once the reporter typed the secret (here: with a rating), their own photo opens in that browser.
    data = {"rating": 5, "comment": "", "secret": filed.reporter_secret}
    assert client.post(reverse("citizens:rate", args=[item.code]), data).status_code == 302
    assert client.get(own_url).status_code == 200
    assert own_url in client.get(reverse("citizens:track", args=[item.code])).content.decode()


def test_the_browser_that_filed_rates_without_typing_the_secret(client, world, roads):
    client.post(reverse("citizens:portal"), portal_data(world, roads))
    item = Feedback.objects.get()
    item = services.feedback_answer(
        actor=world.secretary_a, feedback=assign(world, item), answer="Đã sửa", files=[photo_file()]
    )
    page = client.get(reverse("citizens:track", args=[item.code]))
    assert "secret" not in page.context["rate_form"].fields
    response = client.post(reverse("citizens:rate", args=[item.code]), {"rating": 4, "comment": ""})
    assert response.status_code == 302
