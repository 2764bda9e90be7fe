from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "lindung.imports"
