"""The officials' pages of the dossier life: list, reception, detail, actions, counter closures."""

from motcua.dossiers.views.actions import (
    DossierActionView,
    DossierChecklistView,
    DossierFileDownloadView,
    DossierFileUploadView,
)
from motcua.dossiers.views.detail import DossierReceiptView, DossierView
from motcua.dossiers.views.export import DossierExportView
from motcua.dossiers.views.list import CounterClosureListView, DossierListView
from motcua.dossiers.views.reception import (
    DossierReceptionView,
    ReceptionProcedureInfoView,
    ReceptionProcedureSearchView,
)

__all__ = [
    "CounterClosureListView",
    "DossierActionView",
    "DossierChecklistView",
    "DossierExportView",
    "DossierFileDownloadView",
    "DossierFileUploadView",
    "DossierListView",
    "DossierReceiptView",
    "DossierReceptionView",
    "DossierView",
    "ReceptionProcedureInfoView",
    "ReceptionProcedureSearchView",
]
