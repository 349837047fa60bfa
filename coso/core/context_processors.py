"""Template context shared by every page: the menu entries the user may see, and their addresses."""

from __future__ import annotations

from django.urls import get_script_prefix, reverse

from coso.accounts import permissions

# The pages base.html links to. Their addresses never change while the process runs (but with the prefix the
# site is served under), so they are reversed once instead of 31 {% url %} tags on every page.
MENU_PAGES = (
    "accounts:access_log", "accounts:logout", "accounts:password_change", "accounts:token_list",
    "accounts:user_list", "admin:index", "citizens:dialogue_list", "citizens:inbox", "citizens:portal",
    "citizens:reception_overview", "citizens:transparency_index", "commitments:list", "core:home",
    "inspection:case_list", "inspection:discipline_list", "inspection:plan_list", "inspection:remedy_list",
    "emulation:movement_list", "meetings:calendar", "meetings:escalations", "meetings:feed_settings", "meetings:list", "meetings:overview",
    "meetings:rotation_list", "members:import", "members:list", "notifications:list", "orgs:restructure",
    "orgs:supervision", "orgs:tree", "reviews:cycle_list", "set_language", "study:campaign_list", "study:document_list",
    "study:plan_list", "study:plan_mine", "study:report_list",
)  # fmt: skip
_menu_urls: dict[str, dict[str, str]] = {}


def menu_urls() -> dict[str, str]:
    """{"members_list": "/members/", ...}: each MENU_PAGES name with "_" for ":"."""
    prefix = get_script_prefix()
    urls = _menu_urls.get(prefix)
    if urls is None:
        urls = _menu_urls[prefix] = {name.replace(":", "_"): reverse(name) for name in MENU_PAGES}
    return urls


def coso(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {}, "menu_urls": menu_urls()}
    return {
        "menu_urls": menu_urls(),
        "nav": {
            "orgs": permissions.has_any(user, "orgs.view"),
            "members": permissions.has_any(user, "members.view"),
            "import": permissions.has_any(user, "members.import"),
            "restructure": permissions.has_any(user, "orgs.restructure"),
            "supervision": permissions.has_any(user, "orgs.view_history"),
            "access_log": permissions.has_any(user, "accounts.view_access_log"),
            "grants": permissions.has_any(user, "accounts.view_grants"),
            "meetings": permissions.has_any(user, "meetings.view"),
            "meetings_overview": permissions.has_any(user, "meetings.overview"),
            "escalations": permissions.has_any(user, "meetings.answer_escalation"),
            "rotation": permissions.has_any(user, "meetings.plan_rotation"),
            "meetings_planning": permissions.has_any(user, "meetings.view_planning"),
            # The personal follow-through plan belongs to a member record: accounts without one have none.
            "own_plan": bool(getattr(user, "member_id", None)),
            "api_tokens": permissions.has_any(user, "accounts.use_api"),
            # Committee office staff are the office others are sent to: a refusal must tell them something else.
            "office": permissions.has_any(user, "orgs.change"),
            "study": permissions.has_any(user, "study.view"),
            "study_reports": permissions.has_any(user, "study.view_reports"),
            "citizens": permissions.has_any(user, "citizens.view"),
            "commitments": permissions.has_any(user, "commitments.view"),
            "reviews": permissions.has_any(user, "reviews.view"),
            # Remedies: the owner's own, and the organization's office and heads; cases only for inspection.
            "remedies": bool(getattr(user, "member_id", None))
            or permissions.has_any(user, "inspection.view_remedies"),
            "inspection": permissions.has_any(user, "inspection.view_cases"),
            "emulation": permissions.has_any(user, "emulation.view"),
        },
    }
