from django.contrib import admin

from motcua.petitions.models import Petition, PetitionEvent


class PetitionEventInline(admin.TabularInline):
    model = PetitionEvent
    extra = 0
    can_delete = False
    readonly_fields = ("type", "at", "actor", "from_state", "to_state", "note")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Petition)
class PetitionAdmin(admin.ModelAdmin):
    """Read-only: petitions change through the officials' pages (services), never here."""

    list_display = ("code", "title", "agency", "state", "received_at", "due_at", "answered_at")
    list_filter = ("state", "about")
    search_fields = ("code", "title")
    inlines = [PetitionEventInline]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
