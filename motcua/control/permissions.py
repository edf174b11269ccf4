"""Who may read and write the control records: control officers write (for their agencies and
below), monitors read, system administrators and superusers do both everywhere."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied

from motcua.accounts.selectors import user_agency_ids
from motcua.catalog.choices import Role

READ_ROLES = {Role.CONTROL_OFFICER, Role.MONITOR}
WRITE_ROLES = {Role.CONTROL_OFFICER}


def readable_agency_ids(user: Any) -> set[int] | None:
    """Agencies whose control records the user may see; None means all."""
    return user_agency_ids(user=user, roles=READ_ROLES)


def writable_agency_ids(user: Any) -> set[int] | None:
    """Agencies on whose behalf the user may record decisions, reviews and postings."""
    return user_agency_ids(user=user, roles=WRITE_ROLES)


def can_read(user: Any) -> bool:
    ids = readable_agency_ids(user)
    return ids is None or bool(ids)


def can_write(user: Any, agency_id: int | None = None) -> bool:
    ids = writable_agency_ids(user)
    if ids is None:
        return True
    return bool(ids) if agency_id is None else agency_id in ids


class ControlReadMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_read(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_write"] = can_write(self.request.user)
        return context


class ControlWriteMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_write(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
