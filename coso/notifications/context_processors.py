"""The unread count shown on the bell in the menu."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from . import selectors


def notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: pages that do not render the menu (fragments, files) run no query.
    return {"unread_notifications": SimpleLazyObject(lambda: selectors.unread_count(user))}
