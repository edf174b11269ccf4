from django.urls import path

from motcua.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.lookup, name="lookup"),
    path("rate/", views.rate, name="rate"),
    path("correct/", views.correct, name="correct"),
    path("procedures/", views.procedures, name="procedures"),
    path("procedures/<str:code>/", views.procedure_detail, name="procedure"),
    path("procedures/<str:code>/file/", views.file_online, name="file_online"),
]
