from django.urls import path

from lindung.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("peringatan/", views.warning_list, name="warning_list"),
    path("peringatan/<slug:warning_id>/", views.warning_detail, name="warning_detail"),
    path("berkas/<uuid:pk>/", views.report_file, name="report_file"),
    path("berkas/<uuid:pk>/unduh/", views.report_file_download, name="report_file_download"),
    path("berkas/<uuid:pk>/ulangi/", views.report_file_retry_view, name="report_file_retry"),
    path("<slug:report_id>/", views.report_run, name="report_run"),
]
