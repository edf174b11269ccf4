"""Figures of agencies outside the system (police, tax, ...: their dossiers live in ministry
systems), entered by hand or imported per period and included, marked, in consolidated reports."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _count(key: str) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(key, default=0)


def field_name(key: str) -> str:
    """The model field holding counter `key` of statistics.md §1: "received.new" -> "received_new"."""
    return key.replace(".", "_")


class ExternalFigures(models.Model):
    """One agency's counters (statistics.md §1) for one period, as the agency reported them."""

    agency = models.ForeignKey(
        "catalog.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="external_figures",
        help_text=_("The agency in the catalogue, when it is registered there."),
    )
    agency_code = models.CharField(_("agency code"), max_length=40)
    agency_name = models.CharField(_("agency name"), max_length=255)
    reporting_unit = models.ForeignKey(
        "catalog.Agency",
        verbose_name=_("consolidated under"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The unit whose consolidated reports include these figures."),
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    received_carried_over = _count("received.carried_over")
    received_new = _count("received.new")
    received_total = _count("received.total")
    received_by_channel_direct = _count("received.by_channel.direct")
    received_by_channel_online = _count("received.by_channel.online")
    received_by_channel_postal = _count("received.by_channel.postal")
    received_online_by_class_level3 = _count("received.online_by_class.level3")
    received_online_by_class_level4 = _count("received.online_by_class.level4")
    received_online_by_class_partial = _count("received.online_by_class.partial")
    received_online_by_class_full = _count("received.online_by_class.full")
    resolved_total = _count("resolved.total")
    resolved_early = _count("resolved.early")
    resolved_on_time = _count("resolved.on_time")
    resolved_late = _count("resolved.late")
    refused = _count("refused")
    withdrawn = _count("withdrawn")
    stopped = _count("stopped")
    pending_total = _count("pending.total")
    pending_not_due = _count("pending.not_due")
    pending_overdue = _count("pending.overdue")
    pending_awaiting_supplement = _count("pending.awaiting_supplement")
    due = _count("due")
    delivered_total = _count("delivered.total")
    delivered_postal = _count("delivered.postal")
    one_way_total = _count("one_way.total")
    one_way_online = _count("one_way.online")
    ratings_very_satisfied = _count("ratings.very_satisfied")
    ratings_satisfied = _count("ratings.satisfied")
    ratings_dissatisfied = _count("ratings.dissatisfied")
    source = models.CharField(_("source"), max_length=255, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now)

    class Meta:
        verbose_name = _("figures of an agency outside the system")
        verbose_name_plural = _("figures of agencies outside the system")
        ordering = ["-period_end", "agency_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency_code", "period_start", "period_end"],
                name="external_figures_one_per_agency_period",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="external_figures_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency_name} {self.period_start:%d/%m/%Y}–{self.period_end:%d/%m/%Y}"

    def counter(self, key: str) -> int:
        return getattr(self, field_name(key))


class ReportRound(models.Model):
    """The monthly round of a unit asked for on the dashboard, made by the background worker
    (``stats/rounds``): its progress while it runs, its ZIP when done."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    unit = models.ForeignKey(
        "catalog.Agency", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    period_label = models.CharField(_("period"), max_length=20, blank=True)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    period_cutoff = models.PositiveSmallIntegerField(_("cut-off day"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    done = models.PositiveIntegerField(_("units done"), default=0)
    total = models.PositiveIntegerField(_("units"), default=0)
    written = models.PositiveIntegerField(_("units written"), default=0)
    error = models.TextField(_("error"), blank=True)
    zip_name = models.CharField(_("ZIP file"), max_length=255, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report round")
        verbose_name_plural = _("report rounds")
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["unit", "period_start", "period_end", "status"])]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.period_start:%d/%m/%Y}–{self.period_end:%d/%m/%Y}"

    @property
    def percent(self) -> int:
        return 100 * self.done // self.total if self.total else 0

    @property
    def active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class ReportSettings(models.Model):
    """What a unit's report documents print around the figures, as its officials last chose it
    before a download (header, number, place, recipients, signer): the dashboard's form is
    pre-filled with it and the monthly round prints it. A blank field means the default of the
    unit's level (``stats/reports/letterhead.py``), so a later change of the agency tree still
    shows."""

    agency = models.OneToOneField(
        "catalog.Agency",
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        related_name="report_settings",
    )
    parent_name = models.CharField(_("parent line"), max_length=120, blank=True)
    unit_name = models.CharField(_("unit name line"), max_length=120, blank=True)
    number = models.CharField(_("number"), max_length=10, blank=True)
    symbol = models.CharField(_("symbol"), max_length=20, blank=True)
    place = models.CharField(_("place"), max_length=60, blank=True)
    recipients = models.TextField(_("recipients"), blank=True, help_text=_("One per line."))
    signer_title = models.TextField(_("signer's title"), blank=True, help_text=_("One per line."))
    signer_name = models.CharField(_("signer"), max_length=80, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("report settings")
        verbose_name_plural = _("report settings")

    def __str__(self) -> str:
        return str(self.agency_id)

    def options(self) -> dict[str, str]:
        """The remembered parts that differ from the defaults, as document options."""
        from motcua.stats.reports.letterhead import EDITABLE

        return {name: getattr(self, name) for name in EDITABLE if getattr(self, name)}


# --- The daily summary (issue 15; stats/summary.py) ------------------------------------------


class DailySummary(models.Model):
    """The flows of one local day for one handling agency and one field of procedures: each
    column is a flow counter of ``stats/counters.py`` (``FLOW_COUNTERS`` and ``MOVE_COUNTERS``,
    named by :func:`field_name`) counted for the one-day period. Rows with only zeros are not
    kept. Only days listed fresh in :class:`SummaryDay` are read."""

    agency = models.ForeignKey("catalog.Agency", on_delete=models.CASCADE, related_name="+")
    field = models.ForeignKey(
        "catalog.Field", on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    day = models.DateField()
    received_new = _count("received.new")
    received_by_channel_direct = _count("received.by_channel.direct")
    received_by_channel_online = _count("received.by_channel.online")
    received_by_channel_postal = _count("received.by_channel.postal")
    received_online_by_class_level3 = _count("received.online_by_class.level3")
    received_online_by_class_level4 = _count("received.online_by_class.level4")
    received_online_by_class_partial = _count("received.online_by_class.partial")
    received_online_by_class_full = _count("received.online_by_class.full")
    resolved_total = _count("resolved.total")
    resolved_early = _count("resolved.early")
    resolved_on_time = _count("resolved.on_time")
    resolved_late = _count("resolved.late")
    refused = _count("refused")
    withdrawn = _count("withdrawn")
    stopped = _count("stopped")
    delivered_total = _count("delivered.total")
    delivered_postal = _count("delivered.postal")
    one_way_total = _count("one_way.total")
    one_way_online = _count("one_way.online")
    moves_in = _count("moves.in")
    moves_out = _count("moves.out")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "agency", "field"], name="daily_summary_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.field_id} {self.day}"


# The counters the summary holds, read off its columns (their verbose name is the counter's key);
# stats/summary.py checks them against counters.FLOW_COUNTERS + MOVE_COUNTERS at import.
SUMMARY_KEYS: tuple[str, ...] = tuple(
    str(f.verbose_name)
    for f in DailySummary._meta.local_fields
    if isinstance(f, models.PositiveIntegerField)
)


class SummaryDay(models.Model):
    """A local day the summary holds. ``stale`` is set in the writing transaction (database
    triggers on ``dossiers_dossier`` and ``catalog_procedure``, migration 0003) when a change
    touches the day's flows; a stale day is counted live until ``stats-summarise`` redoes it."""

    day = models.DateField(primary_key=True)
    stale = models.BooleanField(default=False)
    built_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.day}{' stale' if self.stale else ''}"


class StockSnapshot(models.Model):
    """The ``pending.*`` stocks of ``stats/counters.py`` at the end of one local day (pending at
    ``day + 1`` 00:00), for one handling agency and one field: what a report of a period ending
    that day reads instead of counting the open dossiers and those closed since (issue 15;
    stats/stock.py). Rows with only zeros are not kept; only days fresh in :class:`StockDay`
    are read."""

    agency = models.ForeignKey("catalog.Agency", on_delete=models.CASCADE, related_name="+")
    field = models.ForeignKey(
        "catalog.Field", on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    day = models.DateField()
    pending_total = _count("pending.total")
    pending_not_due = _count("pending.not_due")
    pending_overdue = _count("pending.overdue")
    pending_awaiting_supplement = _count("pending.awaiting_supplement")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "agency", "field"], name="stock_snapshot_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.field_id} {self.day}"


STOCK_KEYS: tuple[str, ...] = tuple(
    str(f.verbose_name)
    for f in StockSnapshot._meta.local_fields
    if isinstance(f, models.PositiveIntegerField)
)


class StockDay(models.Model):
    """A local day whose end the stock snapshot holds. ``stale`` is set in the writing
    transaction by database triggers (migration 0007) when a change can move a dossier in or
    out of the day's stock or change its class; a stale day's stock is counted live until
    ``stats-summarise`` takes it again."""

    day = models.DateField(primary_key=True)
    stale = models.BooleanField(default=False)
    built_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.day}{' stale' if self.stale else ''}"


class CoverageDay(models.Model):
    """Per handling agency, procedure and local day, the dossiers the report's coverage of
    channels reads (``stats/sections.coverage_conditions``): received by post, results
    delivered by post, received online. Kept with the daily summary's days (same batches,
    same stale marks: the columns it reads are the flows' own); rows with only zeros are not
    kept. A period's coverage asks, per registered procedure, whether any row exists."""

    agency = models.ForeignKey("catalog.Agency", on_delete=models.CASCADE, related_name="+")
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    postal_received = models.PositiveIntegerField(default=0)
    postal_delivered = models.PositiveIntegerField(default=0)
    online_received = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "procedure", "day"], name="coverage_day_unique"
            )
        ]
        # "did procedure p have such a row in these days?": found at the first row of the
        # range for a province (measured: through the procedure's index alone, 1.1 s a year)
        indexes = [models.Index(fields=["procedure", "day"], name="coverage_day_procedure")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.procedure_id} {self.day}"
