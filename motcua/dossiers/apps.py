from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from motcua.core.generations import track


class DossiersConfig(AppConfig):
    name = "motcua.dossiers"
    label = "dossiers"
    verbose_name = _("Dossiers")

    def ready(self) -> None:
        # Counter closures are read with the catalogue by every reception (core.generations).
        track("catalogue", "dossiers.CounterClosure")
