"""The answer to a login refused by django-axes (too many failed attempts): a page in the user's
language (Vietnamese by default), HTTP 429 with ``Retry-After``. Used for the officials' login
and the admin's alike (settings.AXES_LOCKOUT_CALLABLE)."""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import ngettext


def lockout_message(minutes: int) -> str:
    return ngettext(
        "Too many failed logins for this account or from your connection. To protect the "
        "account, logging in is paused: please try again in %(minutes)s minute, or ask the "
        "administrator to unlock it.",
        "Too many failed logins for this account or from your connection. To protect the "
        "account, logging in is paused: please try again in %(minutes)s minutes, or ask the "
        "administrator to unlock it.",
        minutes,
    ) % {"minutes": minutes}


def locked_out(request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any):
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    minutes = max(1, math.ceil(seconds / 60))
    response: HttpResponse = render(
        request, "accounts/locked_out.html", {"message": lockout_message(minutes)}, status=429
    )
    response["Retry-After"] = str(seconds)
    return response
