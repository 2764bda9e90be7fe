from django.urls import path

from lindung.accounts import area_views as views

app_name = "regions"
urlpatterns = [
    path("", views.national, name="national"),
    path("cari/", views.area_search, name="area_search"),
    path("pilih/", views.area_pick, name="area_pick"),
    path("<str:code>/", views.area_detail, name="area_detail"),
]
