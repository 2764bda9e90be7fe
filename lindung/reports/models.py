"""Report files made by task workers (the counters the dashboards read: lindung.counters)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lindung.lib.fields import AreaCodeField


def _report_file_path(instance, filename: str) -> str:
    # Under a random name: a file is only ever served through its owner's download page.
    return f"reports/{instance.pk}/{filename}"


class ReportFile(models.Model):
    """A report's XLSX or print file made by a task worker for a large area, for the one user
    who asked for it (lindung/reports/files.py); deleted REPORT_FILES_KEEP_DAYS after it was
    made."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for a worker")
        RUNNING = "running", _("Being made")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="report_files"
    )
    report = models.CharField(max_length=40)  # a ReportSpec id
    area_code = AreaCodeField(blank=True)  # "" for the nation
    month = models.CharField(max_length=7)
    output = models.CharField(max_length=5)  # "xlsx" or "print"
    language = models.CharField(max_length=8)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    task_id = models.CharField(max_length=64, blank=True)
    file = models.FileField(upload_to=_report_file_path, blank=True, max_length=200)
    filename = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["requested_by", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.report} {self.area_code or '-'} {self.month} {self.output}"
