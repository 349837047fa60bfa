"""Coso's own page behaviour runs from its static script under the Content-Security-Policy (issue 9 §10):
a filter picker submits on change, a token or feed address is selected on click. Any refusal by the policy on
these pages fails the test (page_factory collects them)."""

from __future__ import annotations

import pytest

from coso.testing.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_filter_picker_submits_on_change(world, live_server, page_factory):
    page = page_factory()
    log_in(page, live_server, "commune_staff")
    page.goto(f"{live_server.url}/meetings/calendar/?org={world.cell_a.pk}")
    picker = page.locator("select[name=org][data-autosubmit]")
    assert picker.input_value() == str(world.cell_a.pk)
    with page.expect_navigation():
        picker.select_option(str(world.cell_b.pk))
    assert f"org={world.cell_b.pk}" in page.url
    assert page.locator("select[name=org]").input_value() == str(world.cell_b.pk)
    assert world.cell_b.name in page.locator("main").inner_text()


def test_the_feed_address_is_selected_on_click(world, live_server, page_factory):
    page = page_factory()
    log_in(page, live_server, "member_a")
    page.goto(f"{live_server.url}/meetings/feed/")
    field = page.locator("[data-testid=feed-url]")
    field.click()
    selected = page.evaluate("() => window.getSelection().toString() || document.activeElement.value.substring("
                             "document.activeElement.selectionStart, document.activeElement.selectionEnd)")  # fmt: skip
    assert selected and selected == field.input_value()


def test_a_destructive_button_asks_first_and_no_keeps_everything(world, live_server, page_factory):
    from coso.accounts.models import ApiToken
    from coso.accounts.services import token_create

    token, _raw = token_create(user=world.commune_staff, name="Báo cáo tháng")
    page = page_factory()
    log_in(page, live_server, "commune_staff")
    page.goto(f"{live_server.url}/accounts/tokens/")
    questions: list[str] = []

    def say_no(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", say_no)
    page.get_by_role("button", name="Thu hồi").click()
    page.wait_for_timeout(300)
    assert questions == ["Thu hồi mã này? Các chương trình đang dùng mã sẽ ngừng hoạt động ngay."]
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None, "saying no changes nothing"

    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.get_by_role("button", name="Thu hồi").click()
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
