from django.contrib.auth import views as auth_views
from django.urls import path

from lindung.accounts import views

app_name = "accounts"
urlpatterns = [
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("sandi/", views.password_change, name="password_change"),
    path("dua-langkah/", views.two_factor_verify, name="two_factor_verify"),
    path("dua-langkah/daftar/", views.two_factor_enrol, name="two_factor_enrol"),
    path("dua-langkah/qr.svg", views.two_factor_qr, name="two_factor_qr"),
    path("dua-langkah/kode-cadangan/", views.two_factor_recovery, name="two_factor_recovery"),
    path("pengguna/", views.user_list, name="user_list"),
    path("pengguna/baru/", views.user_create, name="user_create"),
    path("pengguna/<int:pk>/", views.user_detail, name="user_detail"),
    path("pengguna/<int:pk>/aktif/", views.user_set_active, name="user_set_active"),
    path("pengguna/<int:pk>/sandi/", views.user_reset_password, name="user_reset_password"),
]
