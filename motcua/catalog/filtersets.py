"""Filters of the officials' catalogue pages (django-filter)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from motcua.catalog.choices import OnlineClass, ProcedureLevel
from motcua.catalog.models import Agency, Field, Procedure, ProcedureAssignment
from motcua.catalog.selectors import procedure_text_q


class ProcedureFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    field = django_filters.ModelChoiceFilter(queryset=Field.objects.all(), label=_("Field"))
    agency = django_filters.ModelChoiceFilter(
        queryset=Agency.objects.order_by("code"), method="handled_by", label=_("Agency")
    )
    online_class = django_filters.ChoiceFilter(
        choices=OnlineClass.choices, label=_("Online service class")
    )
    one_way = django_filters.BooleanFilter(
        label=_("One-way"),
        widget=forms.Select(choices=[("", "---------"), ("true", _("yes")), ("false", _("no"))]),
    )
    level = django_filters.ChoiceFilter(choices=ProcedureLevel.choices, label=_("Level"))

    class Meta:
        model = Procedure
        fields = ["q", "field", "agency", "online_class", "one_way", "level"]

    def search(self, queryset: QuerySet[Procedure], name: str, value: str) -> QuerySet[Procedure]:
        return queryset.filter(procedure_text_q(value))

    def handled_by(
        self, queryset: QuerySet[Procedure], name: str, value: Agency
    ) -> QuerySet[Procedure]:
        assigned = ProcedureAssignment.objects.filter(procedure=OuterRef("pk"), agency=value)
        return queryset.filter(Exists(assigned))

    @property
    def form(self):
        form = super().form
        for name, field in form.fields.items():
            css = "form-control form-control-sm" if name == "q" else "form-select form-select-sm"
            field.widget.attrs.setdefault("class", css)
        return form
