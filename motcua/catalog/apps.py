from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from motcua.core.generations import track


class CatalogConfig(AppConfig):
    name = "motcua.catalog"
    label = "catalog"
    verbose_name = _("Procedure catalogue")

    def ready(self) -> None:
        # The catalogue's tables feed the "catalogue" memos (core.generations).
        track(
            "catalogue",
            "catalog.Agency",
            "catalog.AgencyLevel",
            "catalog.Field",
            "catalog.Procedure",
            "catalog.ProcedureAssignment",
            "catalog.RequiredDocument",
            "catalog.InternalProcess",
            "catalog.ProcessStep",
        )
