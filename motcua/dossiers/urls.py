from django.urls import include, path, re_path

from motcua.dossiers import views

app_name = "dossiers"

urlpatterns = [
    path("", views.DossierListView.as_view(), name="list"),
    path("new/", views.DossierReceptionView.as_view(), name="new"),
    path("new/procedure/", views.ReceptionProcedureInfoView.as_view(), name="procedure_info"),
    re_path(r"^export\.(?P<fmt>csv|xlsx)$", views.DossierExportView.as_view(), name="export"),
    path("new/procedures/", views.ReceptionProcedureSearchView.as_view(), name="procedure_search"),
    path("counter-closures/", views.CounterClosureListView.as_view(), name="counter_closures"),
    path("", include("motcua.dossiers.printing.urls")),
    path("<str:code>/", views.DossierView.as_view(), name="detail"),
    path("<str:code>/receipt/", views.DossierReceiptView.as_view(), name="receipt"),
    path("<str:code>/actions/<str:action>/", views.DossierActionView.as_view(), name="action"),
    path("<str:code>/checklist/", views.DossierChecklistView.as_view(), name="checklist"),
    path("<str:code>/files/", views.DossierFileUploadView.as_view(), name="upload"),
    path("<str:code>/files/<int:file_id>/", views.DossierFileDownloadView.as_view(), name="file"),
]
