"""Rules of a member record: admission age in months, probation, national ID, dates, uniqueness."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from coso.accounts.permissions import SYSTEM
from coso.core.exceptions import RuleViolation
from coso.members import services
from coso.members.rules import check_member, months_between, national_id_error
from coso.testing.factories import member_data, national_id_for

TODAY = dt.date(2025, 6, 1)


def record(**overrides) -> dict:
    data = {
        "full_name": "Nguyễn Văn An",
        "gender": "M",
        "date_of_birth": dt.date(1990, 5, 15),
        "admitted_on": dt.date(2015, 5, 15),
        "full_member_on": dt.date(2016, 5, 15),
    }
    data.update(overrides)
    return data


def test_months_between_counts_whole_months():
    assert months_between(dt.date(2000, 5, 15), dt.date(2018, 5, 15)) == 216
    assert months_between(dt.date(2000, 5, 15), dt.date(2018, 5, 14)) == 215
    assert months_between(dt.date(2000, 1, 31), dt.date(2000, 2, 29)) == 0


@pytest.mark.parametrize(
    ("born", "admitted", "ok"),
    [
        (dt.date(2000, 5, 15), dt.date(2018, 5, 15), True),  # exactly 18 years 0 months
        (dt.date(2000, 5, 15), dt.date(2018, 5, 14), False),  # 17 years 11 months
        (dt.date(1950, 5, 15), dt.date(2010, 5, 15), True),  # exactly 60 years 0 months
        (dt.date(1950, 5, 15), dt.date(2010, 6, 15), False),  # 60 years 1 month
    ],
)
def test_admission_age_is_counted_in_months(born, admitted, ok):
    verdict = check_member(record(date_of_birth=born, admitted_on=admitted, full_member_on=None), today=TODAY)
    assert ("admitted_on" not in verdict.errors) is ok, verdict.errors


def test_too_young_message_names_the_age():
    verdict = check_member(
        record(date_of_birth=dt.date(2000, 5, 15), admitted_on=dt.date(2018, 5, 14), full_member_on=None),
        today=TODAY,
    )
    assert "17" in verdict.errors["admitted_on"][0] and "11" in verdict.errors["admitted_on"][0]


def test_full_membership_before_twelve_months_is_an_error():
    verdict = check_member(record(full_member_on=dt.date(2016, 5, 14)), today=TODAY)
    assert "full_member_on" in verdict.errors
    assert "15/05/2016" in verdict.errors["full_member_on"][0]


def test_full_membership_exactly_twelve_months_later_is_clean():
    verdict = check_member(record(full_member_on=dt.date(2016, 5, 15)), today=TODAY)
    assert verdict.ok
    assert "full_member_on" not in verdict.warnings


def test_late_full_membership_is_a_warning_not_an_error():
    verdict = check_member(record(full_member_on=dt.date(2016, 9, 1)), today=TODAY)
    assert verdict.ok
    assert "full_member_on" in verdict.warnings


@pytest.mark.parametrize("name", ["date_of_birth", "admitted_on", "full_member_on"])
def test_dates_cannot_be_in_the_future(name):
    with translation.override("vi"):
        verdict = check_member(record(**{name: TODAY + dt.timedelta(days=1)}), today=TODAY)
    assert "Ngày không được sau ngày hôm nay." in verdict.errors[name]


def test_required_fields_are_reported_by_name():
    verdict = check_member({}, today=TODAY)
    assert {"full_name", "gender", "date_of_birth", "admitted_on"} <= set(verdict.errors)


def test_a_single_word_is_not_a_full_name():
    assert "full_name" in check_member(record(full_name="An"), today=TODAY).errors


def test_valid_national_id_passes():
    born = dt.date(1990, 5, 15)
    assert national_id_error(national_id_for("M", born, 123), gender="M", date_of_birth=born) is None
    assert national_id_error(national_id_for("F", dt.date(2001, 1, 1), 5), gender="F") is None


@pytest.mark.parametrize(
    ("value", "gender", "born", "fragment"),
    [
        ("12345", None, None, "12 chữ số"),
        ("09309000000A", None, None, "12 chữ số"),
        ("000090000001", None, None, "mã tỉnh"),
        ("093090000001", "F", None, "giới tính"),  # 0 = male born in the 1900s
        ("093190000001", "M", None, "giới tính"),
        ("093091000001", "M", dt.date(1990, 1, 1), "năm sinh"),
        ("093090000001", "M", dt.date(2090, 1, 1), "năm sinh"),  # century digit says 1900s
    ],
)
def test_invalid_national_ids_are_explained(value, gender, born, fragment):
    with translation.override("vi"):
        reason = national_id_error(value, gender=gender, date_of_birth=born)
    assert reason is not None and fragment in reason


def test_national_id_errors_land_on_the_field():
    verdict = check_member(record(national_id="123"), today=TODAY)
    assert "national_id" in verdict.errors


def test_phone_must_be_vietnamese():
    assert "phone" in check_member(record(phone="12345"), today=TODAY).errors
    assert "phone" not in check_member(record(phone="0912 345 678"), today=TODAY).errors


@pytest.mark.django_db
def test_national_id_must_be_unique(world):
    data = member_data(national_id=world.member_a_record.national_id)
    with pytest.raises(RuleViolation) as caught:
        services.member_create(actor=SYSTEM, organization=world.cell_a, data=data)
    assert "national_id" in caught.value.fields


@pytest.mark.django_db
def test_card_number_must_be_unique(world):
    data = member_data(card_number=world.member_b_record.card_number)
    with pytest.raises(RuleViolation) as caught:
        services.member_create(actor=SYSTEM, organization=world.cell_a, data=data)
    assert "card_number" in caught.value.fields


@pytest.mark.django_db
def test_updating_a_member_keeps_its_own_national_id(world):
    member = world.other_a_record
    services.member_update(
        actor=SYSTEM, member=member, data={"national_id": member.national_id}, expected_version=member.version
    )


@pytest.mark.django_db
def test_uniqueness_and_rule_messages_are_in_vietnamese(world):
    data = member_data(
        national_id=world.member_a_record.national_id,
        card_number=world.member_b_record.card_number,
        date_of_birth=dt.date(2000, 5, 15),
        admitted_on=dt.date(2018, 5, 14),
    )
    with translation.override("vi"), pytest.raises(RuleViolation) as caught:
        services.member_create(actor=SYSTEM, organization=world.cell_a, data=data)
    fields = caught.value.fields
    assert "Số CCCD này đã có ở hồ sơ của đảng viên khác." in fields["national_id"]
    assert fields["card_number"] == ["Số thẻ đảng viên này đã có ở hồ sơ của đảng viên khác."]
    assert fields["admitted_on"] == [
        "Khi được kết nạp, đảng viên mới 17 tuổi 11 tháng; tuổi tối thiểu là 18 tuổi."
    ]
