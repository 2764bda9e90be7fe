from django.urls import path

from lindung.api import views

app_name = "api"
urlpatterns = [
    path("", views.token_list, name="token_list"),
    path("<int:pk>/cabut/", views.token_revoke, name="token_revoke"),
]
