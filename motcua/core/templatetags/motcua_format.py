"""Template filters for the project's own formats: ``{% load motcua_format %}``."""

from __future__ import annotations

from django import template

from motcua.core.uploads import megabytes as _megabytes

register = template.Library()


@register.filter
def megabytes(size: int | None) -> str:
    """``{{ file.size|megabytes }}`` → ``1,5 MB`` (``core.uploads.megabytes``)."""
    return _megabytes(size)
