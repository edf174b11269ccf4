"""What the calendar needs from the database: each year's overrides and the working hours."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class CalendarOverride(models.Model):
    """A day whose status differs from the weekend rule and the public-holiday list.

    Each year the government swaps days (a Saturday is worked so that a bridge day is off);
    administrators record here what the holidays package does not know yet, or correct it.
    """

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(
        _("working day"),
        help_text=_("Ticked: a working day (e.g. a swapped Saturday). Unticked: a day off."),
    )
    name = models.CharField(_("reason"), max_length=255, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"


class WorkingHours(models.Model):
    """Morning and afternoon sessions; one row without agency is the deployment default."""

    agency = models.OneToOneField(
        "catalog.Agency",
        verbose_name=_("agency"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="working_hours",
    )
    morning_start = models.TimeField(_("morning start"), default=dt.time(7, 30))
    morning_end = models.TimeField(_("morning end"), default=dt.time(11, 30))
    afternoon_start = models.TimeField(_("afternoon start"), default=dt.time(13, 30))
    afternoon_end = models.TimeField(_("afternoon end"), default=dt.time(17, 0))

    class Meta:
        verbose_name = _("working hours")
        verbose_name_plural = _("working hours")
        constraints = [
            models.CheckConstraint(
                condition=Q(morning_start__lt=F("morning_end"))
                & Q(morning_end__lte=F("afternoon_start"))
                & Q(afternoon_start__lt=F("afternoon_end")),
                name="working_hours_ordered",
            ),
        ]

    def __str__(self) -> str:
        who = self.agency or _("default")
        return f"{who}: {self.morning_start:%H:%M}–{self.morning_end:%H:%M}, {self.afternoon_start:%H:%M}–{self.afternoon_end:%H:%M}"
