from django.urls import path

from motcua.petitions.views import officials

app_name = "petitions"

urlpatterns = [
    path("", officials.PetitionListView.as_view(), name="list"),
    path("<str:code>/", officials.PetitionDetailView.as_view(), name="detail"),
    path("<str:code>/files/<int:file_id>/", officials.PetitionFileView.as_view(), name="file"),
]
