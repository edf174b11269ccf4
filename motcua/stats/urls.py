from django.urls import path, re_path

from motcua.core.replica import replica_reads
from motcua.stats import views
from motcua.stats.rounds import views as round_views
from motcua.stats.service_index import views as index_views

app_name = "stats"

# Reports, dashboards and their documents tolerate a few seconds of lag: replica reads.
replica = replica_reads

urlpatterns = [
    path("", replica(views.StatsDashboardView.as_view()), name="dashboard"),
    path("trend.json", replica(views.StatsTrendView.as_view()), name="trend"),
    re_path(
        r"^report\.(?P<fmt>json|docx|xlsx|pdf)$",
        replica(views.ReportDocumentView.as_view()),
        name="document",
    ),
    # what the documents print, remembered per unit (writes: not on the replica)
    path("report-settings/", views.ReportSettingsView.as_view(), name="report_settings"),
    # the monthly round of every unit below one, made in the background
    path("rounds/", round_views.ReportRoundCreateView.as_view(), name="round_create"),
    path("rounds/<str:pk>/", round_views.ReportRoundView.as_view(), name="round"),
    path("rounds/<str:pk>/zip", round_views.ReportRoundDownloadView.as_view(), name="round_zip"),
    path("external/", replica(views.ExternalFiguresView.as_view()), name="external"),
    # the Decision 766 service index
    path("index/", replica(index_views.IndexView.as_view()), name="index"),
    path("index/trend.json", replica(index_views.IndexTrendView.as_view()), name="index_trend"),
    path("index/losses/", replica(index_views.IndexLossesView.as_view()), name="index_losses"),
    re_path(
        r"^index/annex\.(?P<fmt>docx|xlsx)$",
        replica(index_views.IndexDocumentView.as_view()),
        name="index_document",
    ),
]
