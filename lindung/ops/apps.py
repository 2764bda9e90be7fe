from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "lindung.ops"
    verbose_name = "Operations"
