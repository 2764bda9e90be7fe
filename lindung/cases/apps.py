from django.apps import AppConfig
from django.core import checks


class CasesConfig(AppConfig):
    name = "lindung.cases"

    def ready(self):
        checks.register(check_deadline_settings, checks.Tags.compatibility)
        # A person's cases follow them when their record is merged into another.
        from lindung.cases.services import cases_person_merged
        from lindung.placements.person_services import PERSON_MERGE_MOVES

        PERSON_MERGE_MOVES["cases"] = cases_person_merged


def check_deadline_settings(app_configs=None, **kwargs):
    """Refuse to start with a deadline table that names unknown statuses or zero days."""
    from django.conf import settings

    from lindung.cases.deadlines import check_table

    errors = []
    tables = {
        "CASE_DEADLINE_DAYS": settings.CASE_DEADLINE_DAYS,
        "CASE_URGENT_DEADLINE_DAYS": settings.CASE_URGENT_DEADLINE_DAYS,
    }
    for name, table in tables.items():
        for problem in check_table(table):
            errors.append(checks.Error(f"{name}: {problem}", id="cases.E001"))
    if settings.CASE_ESCALATION_STEP_DAYS < 1:
        errors.append(checks.Error("CASE_ESCALATION_STEP_DAYS must be 1 or more.", id="cases.E002"))
    return errors
