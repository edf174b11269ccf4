from django.urls import path, re_path

from motcua.core.replica import replica_reads
from motcua.stats import views

app_name = "stats"

# Reports, dashboards and their documents tolerate a few seconds of lag: replica reads.
replica = replica_reads

urlpatterns = [
    path("", replica(views.StatsDashboardView.as_view()), name="dashboard"),
    path("trend.json", replica(views.StatsTrendView.as_view()), name="trend"),
    re_path(
        r"^report\.(?P<fmt>docx|xlsx|pdf)$",
        replica(views.ReportDocumentView.as_view()),
        name="document",
    ),
    path("external/", replica(views.ExternalFiguresView.as_view()), name="external"),
]
