from django.urls import path

from lindung.programs import views

app_name = "programs"
urlpatterns = [
    path("", views.program_list, name="program_list"),
    path("baru/", views.program_create, name="program_create"),
    path("quick-win/", views.quickwin, name="quickwin"),
    path("quick-win/target/", views.quickwin_targets, name="quickwin_targets"),
    path("<int:pk>/", views.program_detail, name="program_detail"),
    path("<int:pk>/ubah/", views.program_edit, name="program_edit"),
    path("<int:pk>/daftarkan/", views.program_enroll, name="program_enroll"),
    path("peserta/<int:pk>/", views.enrollment_detail, name="enrollment_detail"),
    path("peserta/<int:pk>/kehadiran/", views.enrollment_attendance, name="enrollment_attendance"),
    path("peserta/<int:pk>/selesai/", views.enrollment_complete, name="enrollment_complete"),
    path("peserta/<int:pk>/berhenti/", views.enrollment_drop, name="enrollment_drop"),
    path("peserta/<int:pk>/hasil/", views.outcome_add, name="outcome_add"),
]
