from django.urls import include, path

from lindung.ops.views import healthz
from lindung.reports.views import home

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("akun/", include("lindung.accounts.urls")),
    path("wilayah/", include("lindung.accounts.area_urls")),
    path("audit/", include("lindung.accounts.trail_urls")),
    path("penduduk/", include("lindung.placements.registry_urls")),
    path("penempatan/", include("lindung.placements.urls")),
    path("kasus/", include("lindung.cases.urls")),
    path("program/", include("lindung.programs.urls")),
    path("sosialisasi/", include("lindung.outreach.urls")),
    path("info/", include("lindung.outreach.public_urls")),
    path("regulasi/", include("lindung.regulations.urls")),
    path("pelindungan-data/", include("lindung.privacy.urls")),
    path("impor/", include("lindung.imports.urls")),
    path("laporan/", include("lindung.reports.urls")),
    path("api/", include("lindung.api.urls")),
    path("akun/token-api/", include("lindung.api.token_urls")),
]
