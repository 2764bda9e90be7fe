"""Demo: a modest synthetic population for Kabupaten Mesuji, so its dashboards have figures."""

from lindung.audit.models import AuditEvent
from lindung.reports.synthetic import synthetic_generate

MESUJI = "18.11"
DEMO_PEOPLE = 1500
DEMO_SEED = 2026


def seed(context: dict) -> None:
    """Generate the synthetic residents once (a second run finds the audit event and stops)."""
    if AuditEvent.objects.filter(object_type="synthetic", area_code=MESUJI).exists():
        return
    synthetic_generate(people=DEMO_PEOPLE, seed=DEMO_SEED, area=MESUJI)
