"""Administration of the catalogue (labels come from the models' Vietnamese verbose names)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import (
    Agency,
    AgencyLevel,
    Field,
    InternalProcess,
    Procedure,
    ProcedureAssignment,
    ProcessStep,
    RequiredDocument,
)
from motcua.core.admin import AuditedAdminMixin


@admin.register(AgencyLevel)
class AgencyLevelAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "rank", "agency_count"]
    list_editable = ["rank"]
    search_fields = ["code", "name"]
    ordering = ["rank", "code"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[AgencyLevel]:
        return super().get_queryset(request).annotate(agency_count=Count("agency"))

    @admin.display(description=_("agencies"), ordering="agency_count")
    def agency_count(self, obj: AgencyLevel) -> int:
        return obj.agency_count


class ParentLevelFilter(admin.SimpleListFilter):
    title = _("parent level")
    parameter_name = "parent_level"

    def lookups(self, request, model_admin):
        return [("none", _("no parent (top of the tree)"))] + [
            (level.code, level.name) for level in AgencyLevel.objects.all()
        ]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(parent__isnull=True)
        if self.value():
            return queryset.filter(parent__level__code=self.value())
        return queryset


@admin.register(Agency)
class AgencyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "abbreviation", "level", "parent", "active_from", "active_to"]
    list_filter = ["level", ParentLevelFilter]
    search_fields = ["code", "name", "short_name"]
    list_select_related = ["level", "parent"]
    autocomplete_fields = ["parent"]
    fieldsets = [
        (None, {"fields": ["code", "name", "short_name", "abbreviation", "level", "parent"]}),
        (_("Validity"), {"fields": ["active_from", "active_to"]}),
        (_("Contact"), {"fields": ["address", "phone"]}),
    ]


@admin.register(Field)
class FieldAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "procedure_count"]
    search_fields = ["name", "code"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Field]:
        return super().get_queryset(request).annotate(procedure_count=Count("procedure"))

    @admin.display(description=_("procedures"), ordering="procedure_count")
    def procedure_count(self, obj: Field) -> int:
        return obj.procedure_count


class PostalFilter(admin.SimpleListFilter):
    title = _("public postal service")
    parameter_name = "postal"

    def lookups(self, request, model_admin):
        return [
            ("yes", _("registered (reception or return)")),
            ("reception", _("registered for reception")),
            ("return", _("registered for return")),
            ("no", _("not registered")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "yes":
            return queryset.filter(Q(postal_reception=True) | Q(postal_return=True))
        if value == "reception":
            return queryset.filter(postal_reception=True)
        if value == "return":
            return queryset.filter(postal_return=True)
        if value == "no":
            return queryset.filter(postal_reception=False, postal_return=False)
        return queryset


class RequiredDocumentInline(admin.TabularInline):
    model = RequiredDocument
    extra = 0
    fields = ["position", "name", "originals", "copies", "mandatory"]


class ProcedureAssignmentInline(admin.TabularInline):
    model = ProcedureAssignment
    extra = 0
    autocomplete_fields = ["agency"]
    fields = ["agency", "processing_time", "online_class"]


@admin.register(Procedure)
class ProcedureAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "field",
        "level",
        "processing_time",
        "time_unit",
        "one_way",
        "online_class",
        "postal_reception",
        "postal_return",
        "is_active",
    ]
    list_display_links = ["code", "name"]
    list_filter = [
        "field",
        "level",
        "one_way",
        "online_class",
        "time_unit",
        PostalFilter,
        "inter_agency",
        "is_active",
    ]
    search_fields = ["code", "name"]
    list_select_related = ["field"]
    autocomplete_fields = ["field"]
    inlines = [RequiredDocumentInline, ProcedureAssignmentInline]
    fieldsets = [
        (None, {"fields": ["code", "name", "field", "level", "is_active"]}),
        (
            _("Processing"),
            {"fields": ["processing_time", "time_unit", "one_way", "inter_agency", "fee"]},
        ),
        (
            _("Online and postal service"),
            {"fields": ["online_class", "postal_reception", "postal_return"]},
        ),
    ]


class ProcessStepInline(admin.TabularInline):
    model = ProcessStep
    extra = 0
    fields = ["position", "name", "role", "share_percent"]


@admin.register(InternalProcess)
class InternalProcessAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["procedure", "agency", "version", "effective_from", "decision"]
    list_filter = ["agency__level", "effective_from"]
    search_fields = ["procedure__code", "procedure__name", "decision", "agency__name"]
    list_select_related = ["procedure", "agency"]
    autocomplete_fields = ["procedure", "agency"]
    inlines = [ProcessStepInline]
