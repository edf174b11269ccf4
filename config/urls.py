from django.contrib import admin
from django.urls import include, path

from motcua.api import api
from motcua.dossiers.views.home import home

urlpatterns = [
    path("", include("motcua.ops.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("accounts/", include("motcua.accounts.urls")),
    path("", home, name="home"),
    path("catalog/", include("motcua.catalog.urls")),
    path("dossiers/", include("motcua.dossiers.urls")),
    path("stats/", include("motcua.stats.urls")),
    path("portal/feedback/", include("motcua.petitions.urls_public")),
    path("portal/", include("motcua.portal.urls")),
    path("petitions/", include("motcua.petitions.urls")),
    path("control/", include("motcua.control.urls")),
]
