from django.db import models
from django.utils.translation import gettext_lazy as _


class DecisionKind(models.TextChoices):
    PROCEDURES = "procedures", _("publication of procedures")
    INTERNAL_PROCESSES = "internal_processes", _("approval of internal processes")


class ItemAction(models.TextChoices):
    PUBLISH = "publish", _("newly published")
    AMEND = "amend", _("amended or supplemented")
    REPLACE = "replace", _("replaced")
    ABOLISH = "abolish", _("abolished")


class ReviewKind(models.TextChoices):
    REVIEW = "review", _("review")
    EVALUATION = "evaluation", _("evaluation")


class PostingChannel(models.TextChoices):
    CENTER = "center", _("at the Center")
    WEBSITE = "website", _("on the province web portal")
    NATIONAL_DB = "national_db", _("on the national TTHC database")
