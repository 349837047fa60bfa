"""Template context shared by every page: the menu entries the user may see."""

from __future__ import annotations

from coso.accounts import permissions


def coso(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {}}
    return {
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
        }
    }
