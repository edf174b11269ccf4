"""Administration of the working calendar: the yearly day swaps and the working hours."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from motcua.core.admin import AuditedAdminMixin
from motcua.worktime.models import CalendarOverride, WorkingHours


class YearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = CalendarOverride.objects.dates("date", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(date__year=int(self.value()))
        return queryset


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["date", "is_working_day", "name", "updated_at"]
    list_filter = [YearFilter, "is_working_day"]
    search_fields = ["name"]
    date_hierarchy = "date"
    ordering = ["date"]


@admin.register(WorkingHours)
class WorkingHoursAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = [
        "__str__",
        "agency",
        "morning_start",
        "morning_end",
        "afternoon_start",
        "afternoon_end",
    ]
    search_fields = ["agency__code", "agency__name"]
    list_select_related = ["agency"]
    autocomplete_fields = ["agency"]
