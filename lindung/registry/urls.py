from django.urls import path

from lindung.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("baru/", views.person_create, name="person_create"),
    path("verifikasi/", views.verification_queue, name="verification_queue"),
    path("<int:pk>/", views.person_detail, name="person_detail"),
    path("<int:pk>/ubah/", views.person_edit, name="person_edit"),
    path("<int:pk>/keluarga/", views.family_add, name="family_add"),
    path("<int:pk>/arsipkan/", views.person_archive, name="person_archive"),
    path("<int:pk>/verifikasi/", views.person_verify, name="person_verify"),
    path("<int:pk>/gabung/", views.person_merge, name="person_merge"),
    path("<int:pk>/surat/", views.letter_create, name="letter_create"),
    path("surat/<int:pk>/", views.letter_detail, name="letter_detail"),
]
