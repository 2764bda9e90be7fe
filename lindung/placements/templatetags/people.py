"""Small display helpers for a person's data and episodes ({% load people %}, in any app's
templates); they live with the placements because the episode's country and checklist are
theirs."""

from django import template

from lindung.placements.destination import destination_name
from lindung.placements.models import ReadinessItem

register = template.Library()


@register.filter
def nik_masked(nik: str) -> str:
    """A NIK shortened for lists (the full number is on the audited person page)."""
    if not nik or len(nik) < 10:
        return nik
    return f"{nik[:6]}••••••{nik[-4:]}"


@register.filter
def country(code: str) -> str:
    """The country's name in the interface language."""
    return destination_name(code) if code else ""


@register.filter
def readiness_label(item: str) -> str:
    """The name of a readiness checklist item."""
    return ReadinessItem(item).label if item in ReadinessItem.values else item
