"""Template filters for the public portal."""

from django import template

from ..places import place_name

register = template.Library()


@register.filter(name="place")
def place(org) -> str:
    """{{ org|place }}: "Phường I" for "Đảng bộ phường I"."""
    return place_name(org)
