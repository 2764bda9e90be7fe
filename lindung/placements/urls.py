from django.urls import path

from lindung.placements import views

app_name = "placements"
urlpatterns = [
    path("baru/<int:person_pk>/", views.placement_create, name="placement_create"),
    path("berangkat/<int:person_pk>/", views.placement_depart_new, name="placement_depart_new"),
    path("<int:pk>/prosedural/", views.placement_procedural, name="placement_procedural"),
    path("<int:pk>/", views.placement_detail, name="placement_detail"),
    path("<int:pk>/ubah/", views.placement_edit, name="placement_edit"),
    path("<int:pk>/periksa/", views.placement_check, name="placement_check"),
    path("<int:pk>/<slug:action>/", views.placement_event, name="placement_event"),
]
