from django.apps import AppConfig


class RegulationsConfig(AppConfig):
    name = "lindung.regulations"
