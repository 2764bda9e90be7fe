"""Reads of imports, always within the user's area."""

from django.db.models import Count, QuerySet

from lindung.accounts.scoping import code_q, scope, user_area_code
from lindung.imports.models import ImportBatch, ImportIssue, IssueKind
from lindung.regions.models import Area, Level


def import_list(*, user) -> QuerySet[ImportBatch]:
    """Imports of the user's area, newest first."""
    qs = scope(ImportBatch.objects.filter(archived_at__isnull=True), user, field="area")
    return qs.select_related("area", "created_by").order_by("-created_at", "-id")


def import_get(*, user, pk) -> ImportBatch | None:
    """One import of the user's area, or None."""
    qs = scope(ImportBatch.objects.all(), user, field="area").select_related(
        "area", "created_by", "modified_by"
    )
    return qs.filter(pk=pk).first()


def import_issues(*, batch: ImportBatch, kind: str = IssueKind.REJECTED) -> QuerySet[ImportIssue]:
    """The rows of an import that were rejected or wait for review, in file order."""
    return ImportIssue.objects.filter(batch=batch, kind=kind).order_by("row", "id")


def import_issue_counts(*, batch: ImportBatch) -> list[tuple[str, str, int]]:
    """(kind, label, rows) of each kind of issue an import has, in IssueKind order."""
    counts = dict(
        ImportIssue.objects.filter(batch=batch)
        .values("kind")
        .annotate(rows=Count("row", distinct=True))
        .values_list("kind", "rows")
    )
    return [(kind, label, counts[kind]) for kind, label in IssueKind.choices if counts.get(kind)]


def import_areas(*, user) -> list[Area]:
    """The areas a user may import into: their jurisdiction and the areas below it, down to
    the villages of a regency (a province lists its regencies and districts)."""
    code = user_area_code(user)
    if code in (None, "-"):
        return []
    own = Area.objects.filter(code=code).first()
    if own is None:
        return []
    deepest = min(Level.VILLAGE, own.level + 2)
    below = Area.objects.filter(code_q(code, "code"), level__gt=own.level, level__lte=deepest)
    return [own, *below.select_related("parent").order_by("code")]


def village_choices(*, area: Area) -> list[tuple[str, str]]:
    """(code, name) of the villages in an area, for the ODK form."""
    if area.level == Level.VILLAGE:
        return [(area.code, area.name)]
    villages = Area.objects.filter(code_q(area.code, "code"), level=Level.VILLAGE)
    return [(v.code, f"{v.name} ({v.parent.name})") for v in villages.select_related("parent")]
