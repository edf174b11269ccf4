from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from motcua.core.generations import track


class ControlConfig(AppConfig):
    name = "motcua.control"
    label = "control"
    verbose_name = _("TTHC control")

    def ready(self) -> None:
        # Which procedures are in force is read from the revisions: the portal memoises the
        # procedures it serves per "catalogue" generation (portal/selectors.procedure_public_get).
        track("catalogue", "control.ProcedureRevision")
