from django.db import models
from django.utils.translation import gettext_lazy as _


class DossierState(models.TextChoices):
    SUBMITTED = "submitted", _("submitted online, awaiting pre-check")
    NOT_RECEIVED = "not_received", _("not received (pre-check refused)")
    RETURNED = "returned", _("returned to the applicant for changes")
    RECEIVED = "received", _("received")
    IN_PROCESS = "in_process", _("in process")
    AWAITING_SUPPLEMENT = "awaiting_supplement", _("awaiting supplement")
    TRANSFERRING = "transferring", _("handed over, awaiting acceptance")
    RESOLVED = "resolved", _("resolved, result ready")
    DELIVERED = "delivered", _("result delivered")
    REFUSED = "refused", _("refused")
    WITHDRAWN = "withdrawn", _("withdrawn")
    STOPPED = "stopped", _("stopped without result")
    FILED = "filed", _("received and filed (one-way)")


# States in which the dossier has been received and is still being handled.
OPEN_STATES = frozenset(
    {
        DossierState.RECEIVED,
        DossierState.IN_PROCESS,
        DossierState.AWAITING_SUPPLEMENT,
        DossierState.TRANSFERRING,
    }
)


class Outcome(models.TextChoices):
    """How a received dossier was closed; empty while open. The statistics count on this."""

    RESOLVED = "resolved", _("resolved")
    REFUSED = "refused", _("refused")
    WITHDRAWN = "withdrawn", _("withdrawn")
    STOPPED = "stopped", _("stopped")
    FILED = "filed", _("filed (one-way)")


class Channel(models.TextChoices):
    DIRECT = "direct", _("at the counter")
    ONLINE = "online", _("online")
    POSTAL = "postal", _("by post")


class DeliveryChannel(models.TextChoices):
    COUNTER = "counter", _("at the counter")
    POSTAL = "postal", _("by post")
    ONLINE = "online", _("online")


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("person")
    ORGANISATION = "organisation", _("organisation")


class EventType(models.TextChoices):
    SUBMIT = "submit", _("submitted online")
    PRECHECK_ACCEPT = "precheck_accept", _("pre-check accepted")
    PRECHECK_REFUSE = "precheck_refuse", _("pre-check refused")
    PRECHECK_RETURN = "precheck_return", _("returned to the applicant for changes")
    RESUBMIT = "resubmit", _("corrected and submitted again")
    RECEIVE = "receive", _("received")
    ASSIGN = "assign", _("assigned")
    STEP = "step", _("moved to the next step")
    SUPPLEMENT_REQUEST = "supplement_request", _("supplement requested")
    SUPPLEMENT_RECEIVE = "supplement_receive", _("supplement received")
    REFUSE = "refuse", _("refused")
    WITHDRAW = "withdraw", _("withdrawn")
    STOP = "stop", _("stopped")
    TRANSFER = "transfer", _("handed over to another agency")
    TRANSFER_ACCEPT = "transfer_accept", _("hand-over accepted")
    RESOLVE = "resolve", _("resolved")
    DELIVER = "deliver", _("result delivered")
    APOLOGIZE = "apologize", _("apology with a new appointment")
    FILE = "file", _("received and filed (one-way)")
    IMPORT = "import", _("imported from another system")
    RATE = "rate", _("rated by the applicant")
    ATTACH = "attach", _("file attached")
    ERASE = "erase", _("personal data erased (retention)")
    POSTAL_RETURN = "postal_return", _("result returned by the post, waiting at the counter")


class DeadlineStatus(models.TextChoices):
    EARLY = "early", _("early")
    ON_TIME = "on_time", _("on time")
    LATE = "late", _("late")
    NOT_DUE = "not_due", _("not due")
    DUE_SOON = "due_soon", _("due soon")
    OVERDUE = "overdue", _("overdue")
    PAUSED = "paused", _("paused")
    NONE = "none", _("no deadline")


class RatingValue(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", _("very satisfied")
    SATISFIED = "satisfied", _("satisfied")
    DISSATISFIED = "dissatisfied", _("dissatisfied")
