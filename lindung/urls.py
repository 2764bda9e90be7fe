from django.urls import include, path

from lindung.regions.views import home

urlpatterns = [
    path("", home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("akun/", include("lindung.accounts.urls")),
    path("wilayah/", include("lindung.regions.urls")),
    path("audit/", include("lindung.audit.urls")),
]
