from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    WORKING_HOURS = "working_hours", _("working hours")
    CALENDAR_DAYS = "calendar_days", _("calendar days")


class OnlineClass(models.TextChoices):
    NONE = "none", _("not online")
    LEVEL2 = "level2", _("level 2")
    LEVEL3 = "level3", _("level 3")
    LEVEL4 = "level4", _("level 4")
    PARTIAL = "partial", _("partial online")
    FULL = "full", _("full online")


class ProcedureLevel(models.TextChoices):
    PROVINCE = "province", _("province level")
    DISTRICT = "district", _("district level")
    COMMUNE = "commune", _("commune level")
    MULTI = "multi", _("multi-level")
    CENTRAL = "central", _("central level")


class Role(models.TextChoices):
    COUNTER_OFFICER = "counter_officer", _("counter officer")
    SPECIALIST = "specialist", _("specialist")
    DEPARTMENT_HEAD = "department_head", _("department head")
    LEADER = "leader", _("agency leader")
    MONITOR = "monitor", _("monitor")
    CONTROL_OFFICER = "control_officer", _("TTHC control officer")
    ADMIN = "admin", _("system administrator")
