"""The officials' catalogue pages: read-only, for every logged-in official."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from motcua.catalog.filtersets import ProcedureFilterSet
from motcua.catalog.selectors import agency_tree, procedure_get_by_code, procedure_list
from motcua.catalog.tables import ProcedureTable


class ProcedureListView(LoginRequiredMixin, SingleTableMixin, FilterView):
    """The same URL serves the full page and, for htmx, only the table fragment."""

    table_class = ProcedureTable
    filterset_class = ProcedureFilterSet
    table_pagination = {"per_page": 50}
    template_name = "catalog/procedure_list.html"

    def get_queryset(self):
        return procedure_list()

    def get_template_names(self) -> list[str]:
        if getattr(self.request, "htmx", False) and not self.request.htmx.history_restore_request:
            return ["catalog/htmx/procedure_table.html"]
        return [self.template_name]


class ProcedureView(LoginRequiredMixin, TemplateView):
    template_name = "catalog/procedure_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        procedure = procedure_get_by_code(code=kwargs["code"])
        if procedure is None:
            raise Http404
        context["procedure"] = procedure
        return context


class AgencyListView(LoginRequiredMixin, TemplateView):
    template_name = "catalog/agency_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["nodes"] = agency_tree()
        return context
