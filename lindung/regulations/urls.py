from django.urls import path

from lindung.regulations import views

app_name = "regulations"
urlpatterns = [
    path("", views.regulation_list, name="regulation_list"),
    path("baru/", views.regulation_create, name="regulation_create"),
    path("cakupan/", views.coverage, name="coverage"),
    path("cakupan/<str:code>/", views.coverage, name="coverage_area"),
    path("<int:pk>/", views.regulation_detail, name="regulation_detail"),
    path("<int:pk>/dokumen/", views.regulation_document, name="regulation_document"),
]
