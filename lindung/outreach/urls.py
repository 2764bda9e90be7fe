from django.urls import path

from lindung.outreach import views

app_name = "outreach"
urlpatterns = [
    path("", views.session_list, name="session_list"),
    path("baru/", views.session_create, name="session_create"),
    path("<int:pk>/", views.session_detail, name="session_detail"),
    path("<int:pk>/ubah/", views.session_edit, name="session_edit"),
    path("<int:pk>/arsipkan/", views.session_archive, name="session_archive"),
    path("<int:pk>/materi/", views.material_add, name="material_add"),
    path("materi/<int:pk>/", views.material_download, name="material_download"),
    path("pengumuman/", views.announcement_list, name="announcement_list"),
    path("pengumuman/baru/", views.announcement_create, name="announcement_create"),
    path("pengumuman/<int:pk>/ubah/", views.announcement_edit, name="announcement_edit"),
    path("pengumuman/<int:pk>/tarik/", views.announcement_archive, name="announcement_archive"),
]
