"""The public village information pages (no login), included under /info/."""

from django.urls import path

from lindung.outreach import views

app_name = "public"
urlpatterns = [
    path("", views.public_index, name="index"),
    path("<str:code>/", views.public_village, name="village"),
]
