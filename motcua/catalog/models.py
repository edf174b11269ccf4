"""The catalogue: agencies (a tree whose levels are data), fields, procedures and their processes."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.catalog.choices import OnlineClass, ProcedureLevel, Role, TimeUnit
from motcua.core.text import fold


class AgencyLevel(models.Model):
    """A level of the administrative tree: province, provincial agency, district, commune, ...

    Levels are rows, not code: the 2025 reform removed districts, and one deployment keeps
    history from both eras.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    rank = models.PositiveSmallIntegerField(
        _("rank"), default=0, help_text=_("Position in the tree: 0 at the top.")
    )

    class Meta:
        verbose_name = _("agency level")
        verbose_name_plural = _("agency levels")
        ordering = ["rank", "code"]

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    code = models.CharField(
        _("electronic identifier code"),
        max_length=40,
        unique=True,
        help_text=_("As issued, e.g. 000.00.02.H23 or H44.01; no fixed pattern."),
    )
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=120, blank=True)
    abbreviation = models.CharField(
        _("abbreviation"),
        max_length=20,
        blank=True,
        help_text=_(
            "The symbol of the agency in the numbers of its documents, e.g. SCT in 215/BC-SCT."
        ),
    )
    level = models.ForeignKey(AgencyLevel, verbose_name=_("level"), on_delete=models.PROTECT)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    active_from = models.DateField(_("active from"), null=True, blank=True)
    active_to = models.DateField(_("active to"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(active_to__isnull=True)
                | Q(active_from__isnull=True)
                | Q(active_to__gte=models.F("active_from")),
                name="agency_active_range_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="agency_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Field(models.Model):
    """A field (lĩnh vực) grouping procedures, e.g. 'Lưu thông hàng hóa trong nước'."""

    name = models.CharField(_("name"), max_length=255, unique=True)
    code = models.CharField(_("code"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("field")
        verbose_name_plural = _("fields")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Procedure(models.Model):
    code = models.CharField(_("national code"), max_length=40, unique=True)
    name = models.TextField(_("name"))
    field = models.ForeignKey(Field, verbose_name=_("field"), on_delete=models.PROTECT)
    level = models.CharField(_("level"), max_length=16, choices=ProcedureLevel.choices, blank=True)
    one_way = models.BooleanField(
        _("one-way"), default=False, help_text=_("Received and filed only; never early or late.")
    )
    processing_time = models.DecimalField(
        _("legal processing time"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    time_unit = models.CharField(
        _("time unit"), max_length=16, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS
    )
    online_class = models.CharField(
        _("online service class"),
        max_length=8,
        choices=OnlineClass.choices,
        default=OnlineClass.NONE,
    )
    postal_reception = models.BooleanField(_("postal reception registered"), default=False)
    postal_return = models.BooleanField(_("postal return registered"), default=False)
    inter_agency = models.BooleanField(_("inter-agency"), default=False)
    fee = models.CharField(_("fee"), max_length=255, blank=True)
    agencies = models.ManyToManyField(
        Agency,
        verbose_name=_("handling agencies"),
        through="ProcedureAssignment",
        related_name="procedures",
    )
    is_active = models.BooleanField(_("in force"), default=True)
    # fold(code + name), kept by save() and by every bulk write (refresh_search_text): what
    # procedure searches compare with the folded query (catalog.selectors.procedure_text_q).
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(one_way=True) | Q(processing_time__isnull=False),
                name="procedure_time_unless_one_way",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def save(self, *args, **kwargs) -> None:
        self.refresh_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"code", "name"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def refresh_search_text(self) -> Procedure:
        """Set the folded search text from the code and name (bulk writes call this)."""
        self.search_text = fold(f"{self.code} {self.name}")
        return self

    @property
    def postal(self) -> bool:
        return self.postal_reception or self.postal_return


class ProcedureAssignment(models.Model):
    """A procedure handled by an agency, which may have its own time and online class."""

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.CASCADE, related_name="assignments"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="assignments"
    )
    processing_time = models.DecimalField(
        _("processing time at this agency"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    online_class = models.CharField(
        _("online class at this agency"), max_length=8, choices=OnlineClass.choices, blank=True
    )

    class Meta:
        verbose_name = _("procedure assignment")
        verbose_name_plural = _("procedure assignments")
        constraints = [
            models.UniqueConstraint(fields=["procedure", "agency"], name="assignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.procedure.code} @ {self.agency.code}"

    @property
    def effective_processing_time(self) -> Decimal | None:
        if self.processing_time is not None:
            return self.processing_time
        return self.procedure.processing_time

    @property
    def effective_online_class(self) -> str:
        return self.online_class or self.procedure.online_class


class RequiredDocument(models.Model):
    """One item of the dossier's composition (thành phần hồ sơ)."""

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.CASCADE, related_name="documents"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.TextField(_("name"))
    originals = models.PositiveSmallIntegerField(_("originals"), default=1)
    copies = models.PositiveSmallIntegerField(_("copies"), default=0)
    mandatory = models.BooleanField(_("mandatory"), default=True)

    class Meta:
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        ordering = ["procedure", "position", "id"]

    def __str__(self) -> str:
        return self.name


class InternalProcess(models.Model):
    """A version of a procedure's internal process (quy trình nội bộ), approved by a decision."""

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.CASCADE, related_name="processes"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, null=True, blank=True
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    decision = models.CharField(_("approving decision"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("internal process")
        verbose_name_plural = _("internal processes")
        ordering = ["procedure", "agency", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "agency", "version"], name="process_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.version}"


class ProcessStep(models.Model):
    process = models.ForeignKey(
        InternalProcess, verbose_name=_("process"), on_delete=models.CASCADE, related_name="steps"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=255)
    role = models.CharField(_("performed by"), max_length=32, choices=Role.choices)
    share_percent = models.DecimalField(
        _("share of the time budget (%)"), max_digits=5, decimal_places=2, default=Decimal(0)
    )

    class Meta:
        verbose_name = _("process step")
        verbose_name_plural = _("process steps")
        ordering = ["process", "position"]
        constraints = [
            models.UniqueConstraint(fields=["process", "position"], name="step_position_unique")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"
