from django.urls import path

from motcua.core import views

urlpatterns = [
    path("", views.home, name="home"),
]
