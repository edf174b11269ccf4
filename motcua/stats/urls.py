from django.urls import path

from motcua.stats import views

app_name = "stats"

urlpatterns: list = []
