from django.urls import path

from lindung.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.request_list, name="request_list"),
    path("register/", views.processing_register, name="register"),
    path("permintaan/baru/", views.request_create, name="request_create"),
    path("permintaan/<int:pk>/", views.request_detail, name="request_detail"),
    path("permintaan/<int:pk>/salinan/", views.subject_copy, name="subject_copy"),
    path("permintaan/<int:pk>/salinan.json", views.subject_copy_json, name="subject_copy_json"),
    path("permintaan/<int:pk>/<slug:step>/", views.request_step, name="request_step"),
    path("insiden/", views.breach_list, name="breach_list"),
    path("insiden/baru/", views.breach_create, name="breach_create"),
    path("insiden/<int:pk>/", views.breach_detail, name="breach_detail"),
    path("insiden/<int:pk>/<slug:step>/", views.breach_step, name="breach_step"),
    path("retensi/", views.retention_report, name="retention"),
]
