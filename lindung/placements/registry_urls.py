"""The registry's URLs (/penduduk/, names registry:…): its own pages, and the pages of a person
that show or change their episodes, which stand above the registry
(lindung/placements/person_views.py)."""

from django.urls import path

from lindung.placements import person_views
from lindung.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("baru/", views.person_create, name="person_create"),
    path("verifikasi/", views.verification_queue, name="verification_queue"),
    path("<int:pk>/", person_views.person_detail, name="person_detail"),
    path("<int:pk>/ubah/", views.person_edit, name="person_edit"),
    path("<int:pk>/keluarga/", views.family_add, name="family_add"),
    path("<int:pk>/arsipkan/", views.person_archive, name="person_archive"),
    path("<int:pk>/verifikasi/", person_views.person_verify, name="person_verify"),
    path("<int:pk>/gabung/", person_views.person_merge, name="person_merge"),
    path("<int:pk>/surat/", person_views.letter_create, name="letter_create"),
    path("surat/<int:pk>/", person_views.letter_detail, name="letter_detail"),
]
