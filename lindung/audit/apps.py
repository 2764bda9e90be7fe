from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "lindung.audit"
