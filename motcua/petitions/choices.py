from django.db import models
from django.utils.translation import gettext_lazy as _


class PetitionState(models.TextChoices):
    RECEIVED = "received", _("received")
    ASSIGNED = "assigned", _("assigned")
    ANSWERED = "answered", _("answered")


class PetitionAbout(models.TextChoices):
    PROCEDURE = "procedure", _("an administrative procedure")
    AGENCY = "agency", _("an agency or its officials")
    DOSSIER = "dossier", _("a dossier")


class PetitionEventType(models.TextChoices):
    SUBMIT = "submit", _("submitted")
    ASSIGN = "assign", _("assigned")
    ANSWER = "answer", _("answered")
    PUBLISH = "publish", _("answer published")
