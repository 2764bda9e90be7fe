from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "lindung.regions"
