"""A paginator told its count: lists whose total is known without counting the rows (kept counts)."""

from __future__ import annotations

from django.core.paginator import Paginator


class KnownCountPaginator(Paginator):
    """`Paginator` that takes the number of objects instead of running COUNT(*) over them (None: count)."""

    def __init__(self, object_list, per_page, *, count: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        if count is not None:
            # Paginator.count is a cached_property: setting it here is what caching would have stored.
            self.__dict__["count"] = count
