from django.apps import AppConfig
from django.core import checks


class CasesConfig(AppConfig):
    name = "lindung.cases"

    def ready(self):
        checks.register(check_deadline_settings, checks.Tags.compatibility)


def check_deadline_settings(app_configs=None, **kwargs):
    """Refuse to start with a deadline table that names unknown statuses or zero days."""
    from django.conf import settings

    from lindung.cases.deadlines import check_table

    errors = []
    for name in ("CASE_DEADLINE_DAYS", "CASE_URGENT_DEADLINE_DAYS"):
        for problem in check_table(getattr(settings, name, {})):
            errors.append(checks.Error(f"{name}: {problem}", id="cases.E001"))
    if getattr(settings, "CASE_ESCALATION_STEP_DAYS", 7) < 1:
        errors.append(checks.Error("CASE_ESCALATION_STEP_DAYS must be 1 or more.", id="cases.E002"))
    return errors
