from django.urls import path

from lindung.accounts import trail_views as views

app_name = "audit"
urlpatterns = [path("", views.event_list, name="event_list")]
