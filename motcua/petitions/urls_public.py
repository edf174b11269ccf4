from django.urls import path

from motcua.petitions.views import public

app_name = "feedback"

urlpatterns = [
    path("", public.petition_new, name="new"),
    path("follow/", public.petition_follow, name="follow"),
    path("answers/", public.petition_answers, name="answers"),
]
