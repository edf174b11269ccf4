from django.urls import path

from motcua.catalog import views

app_name = "catalog"

urlpatterns: list = []
