from django.urls import path

from lindung.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("baru/", views.case_create, name="case_create"),
    path("rekap/", views.case_summary, name="case_summary"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/langkah/<slug:step>/", views.case_step, name="case_step"),
    path("<int:pk>/akses-darurat/", views.case_emergency_read, name="case_emergency_read"),
    path(
        "<int:pk>/lampiran/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment_download",
    ),
]
