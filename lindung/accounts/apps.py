from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "lindung.accounts"

    def ready(self):
        from lindung.accounts import checks, signals  # noqa: F401
