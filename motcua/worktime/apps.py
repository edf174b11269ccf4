from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from motcua.core.generations import track


class WorktimeConfig(AppConfig):
    name = "motcua.worktime"
    label = "worktime"
    verbose_name = _("Working calendar")

    def ready(self) -> None:
        # Working hours and overrides feed the "calendar" memos (core.generations).
        track("calendar", "worktime.WorkingHours", "worktime.CalendarOverride")
