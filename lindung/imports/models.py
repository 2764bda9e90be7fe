"""An uploaded file and what became of each of its rows."""

from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindung.lib.models import TrackedModel, area_field


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Waiting for the column mapping")
    CHECKING = "checking", _("Checking")
    CHECKED = "checked", _("Checked, not applied yet")
    APPLYING = "applying", _("Applying")
    APPLIED = "applied", _("Applied")
    INTERRUPTED = "interrupted", _("Interrupted (can be resumed)")
    FAILED = "failed", _("Could not be read")


# A worker writes a heartbeat after every chunk (a few seconds); silence this long means it died.
STALL_AFTER = timedelta(minutes=5)
RUNNING = (ImportStatus.CHECKING, ImportStatus.APPLYING)
# What a run counts its rows as; each count is kept in the batch's field "<name>_count".
COUNTED = ("created", "updated", "unchanged", "rejected", "review", "skipped")


def count_fields(counts) -> dict[str, int]:
    """The batch's count fields for these counts (a mapping by the names of COUNTED)."""
    return {f"{name}_count": counts[name] for name in COUNTED}


class ImportBatch(TrackedModel):
    """One uploaded file, its mapping, its dry run and its application.

    The application runs in chunks, each in its own transaction together with `applied_rows`,
    so after a crash the record says exactly which rows were applied and the import resumes
    from there (re-applying a row changes nothing: rows are matched by NIK).
    """

    area = area_field()
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", max_length=200)
    file_name = models.CharField(_("file name"), max_length=255)
    file_sha256 = models.CharField(_("file hash (SHA-256)"), max_length=64, db_index=True)
    file_size = models.BigIntegerField(_("file size"), default=0)
    file_format = models.CharField(_("format"), max_length=8, blank=True)
    sheet_names = models.JSONField(default=list, blank=True)
    sheet_name = models.CharField(_("sheet"), max_length=100, blank=True)
    header_row = models.PositiveIntegerField(_("header row"), null=True, blank=True)
    headers = models.JSONField(default=list, blank=True)
    mapping = models.JSONField(default=dict, blank=True)  # field key -> column index
    language = models.CharField(max_length=8, default="id")
    status = models.CharField(
        _("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    message = models.TextField(_("message"), blank=True)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    created_count = models.PositiveIntegerField(_("new"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    rejected_count = models.PositiveIntegerField(_("rejected"), default=0)
    review_count = models.PositiveIntegerField(_("to review"), default=0)
    skipped_count = models.PositiveIntegerField(_("skipped"), default=0)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    # Data rows (in file order) whose changes are committed; the resume point.
    applied_rows = models.PositiveIntegerField(_("rows applied"), default=0)
    applied_through = models.PositiveIntegerField(_("applied up to sheet row"), default=0)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    error_report = models.FileField(upload_to="imports/reports/%Y/%m/", max_length=200, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["area", "created_at"])]

    def __str__(self) -> str:
        return self.file_name

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING

    @property
    def is_stalled(self) -> bool:
        """A run whose worker stopped reporting (the process died): it can be resumed."""
        if not self.is_running or self.heartbeat_at is None:
            return False
        return timezone.now() - self.heartbeat_at > STALL_AFTER

    @property
    def percent(self) -> int:
        if not self.progress_total:
            return 0
        return min(100, round(100 * self.progress_done / self.progress_total))

    @property
    def counts(self) -> dict[str, int]:
        """The rows counted so far, by the names of COUNTED."""
        return {name: getattr(self, f"{name}_count") for name in COUNTED}


class IssueKind(models.TextChoices):
    REJECTED = "rejected", _("Rejected")
    REVIEW = "review", _("To review")
    # Rows that are not persons (a footer, a numbering row, a submission refused in review, a
    # resident who died or moved away): not applied, and not errors to fix.
    SKIPPED = "skipped", _("Skipped")
    # Applied rows: a value left out (a phone without consent), or a resident to confirm.
    WARNING = "warning", _("Applied with a warning")
    ABROAD = "abroad", _("To confirm: probably abroad or leaving")


class ImportIssue(models.Model):
    """A row that was not applied, with the column and the reason in the user's language."""

    batch = models.ForeignKey(ImportBatch, models.CASCADE, related_name="issues")
    kind = models.CharField(max_length=10, choices=IssueKind.choices)
    row = models.PositiveIntegerField(_("row"))
    column = models.CharField(_("column"), max_length=120, blank=True)
    field = models.CharField(max_length=30, blank=True)
    code = models.CharField(max_length=40)
    message = models.TextField(_("reason"))
    values = models.JSONField(default=list)  # the row as it was in the file

    class Meta:
        ordering = ["row", "id"]
        indexes = [models.Index(fields=["batch", "kind", "row"])]

    def __str__(self) -> str:
        return f"{self.row} {self.column}: {self.message}"


class SavedMapping(TrackedModel):
    """A confirmed column mapping kept for the next upload of the same kind of book."""

    area = models.ForeignKey("regions.Area", models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    columns = models.JSONField(default=dict)  # field key -> header text

    class Meta:
        ordering = ["-modified_at"]

    def __str__(self) -> str:
        return self.name


class ImportedSubmission(models.Model):
    """An ODK/KoboToolbox submission already applied: importing it again changes nothing."""

    uuid = models.CharField(max_length=64, unique=True)
    batch = models.ForeignKey(ImportBatch, models.PROTECT, related_name="+")
    person = models.ForeignKey("registry.Person", models.PROTECT, related_name="+", null=True)
    row = models.PositiveIntegerField()

    def __str__(self) -> str:
        return self.uuid
