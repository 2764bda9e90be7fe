from django.urls import path

from lindung.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.import_list, name="import_list"),
    path("unggah/", views.import_upload, name="import_upload"),
    path("<int:pk>/", views.import_detail, name="import_detail"),
    path("<int:pk>/status/", views.import_status, name="import_status"),
    path("<int:pk>/laporan-galat/", views.import_error_report, name="import_error_report"),
    path("templat/", views.template_download, name="template"),
    path("xlsform/", views.xlsform_download, name="xlsform"),
    path("ekspor/penduduk/", views.export_people, name="export_people"),
    path("ekspor/penempatan/", views.export_placements, name="export_placements"),
]
