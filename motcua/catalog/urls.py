from django.urls import path

from motcua.catalog import views

app_name = "catalog"

urlpatterns = [
    path("procedures/", views.ProcedureListView.as_view(), name="procedure_list"),
    path("procedures/<str:code>/", views.ProcedureView.as_view(), name="procedure_detail"),
    path("agencies/", views.AgencyListView.as_view(), name="agency_list"),
]
