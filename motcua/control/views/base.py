"""Shared pieces of the control pages: paginated scoped lists and service-backed entry forms."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.views.generic import FormView, TemplateView

from motcua.control.permissions import (
    ControlReadMixin,
    ControlWriteMixin,
    readable_agency_ids,
    writable_agency_ids,
)
from motcua.core.errors import MotcuaError

PER_PAGE = 50


class ScopedListView(ControlReadMixin, TemplateView):
    """A list narrowed to the agencies the user may read, 50 rows a page."""

    title = ""
    columns: tuple[str, ...] = ()
    create_url = ""

    def rows(self, agency_ids: set[int] | None):  # pragma: no cover - overridden
        raise NotImplementedError

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        qs = self.rows(readable_agency_ids(self.request.user))
        page = Paginator(qs, PER_PAGE).get_page(self.request.GET.get("page"))
        context.update(page=page, title=self.title, create_url=self.create_url)
        return context


class ServiceFormView(ControlWriteMixin, FormView):
    """Parse with the form, write with one service call; its MotcuaError shows on the form."""

    template_name = "control/form.html"
    title = ""

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["agency_ids"] = writable_agency_ids(self.request.user)
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        return context

    def perform(self, form: Any) -> tuple[str, str]:  # pragma: no cover - overridden
        """Call the service; return (success message, URL to go to)."""
        raise NotImplementedError

    def form_valid(self, form: Any):
        try:
            message, url = self.perform(form)
        except MotcuaError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, message)
        return HttpResponseRedirect(url)
