from django.apps import AppConfig


class PlacementsConfig(AppConfig):
    name = "lindung.placements"
