from django.urls import path, re_path

from motcua.stats import views
from motcua.stats.service_index import views as index_views

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
    # the Decision 766 service index
    path("index/", index_views.IndexView.as_view(), name="index"),
    path("index/trend.json", index_views.IndexTrendView.as_view(), name="index_trend"),
    path("index/losses/", index_views.IndexLossesView.as_view(), name="index_losses"),
    re_path(
        r"^index/annex\.(?P<fmt>docx|xlsx)$",
        index_views.IndexDocumentView.as_view(),
        name="index_document",
    ),
]
