from django.urls import path, re_path

from motcua.stats import views

app_name = "stats"

urlpatterns = [
    path("", views.StatsDashboardView.as_view(), name="dashboard"),
    path("trend.json", views.StatsTrendView.as_view(), name="trend"),
    re_path(
        r"^report\.(?P<fmt>json|docx|xlsx|pdf)$",
        views.ReportDocumentView.as_view(),
        name="document",
    ),
    path("external/", views.ExternalFiguresView.as_view(), name="external"),
]
