"""Included by ``dossiers/urls.py`` before the dossier's own addresses."""

from django.urls import path

from motcua.dossiers.views.forms import DossierFormView, DossierRegisterView

urlpatterns = [
    path("register/", DossierRegisterView.as_view(), name="register"),
    path("<str:code>/forms/<str:kind>.<str:fmt>", DossierFormView.as_view(), name="form"),
]
