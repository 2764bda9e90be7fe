"""What the operations side keeps: task workers' heartbeats and the schedule's last runs."""

from django.db import models


class WorkerHeartbeat(models.Model):
    """A running task worker says it is alive every few seconds (`/healthz` reads it)."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.worker_id


class ScheduledJob(models.Model):
    """When the scheduler last enqueued a periodic job, so a restart does not run it twice."""

    name = models.CharField(max_length=60, unique=True)
    last_enqueued_at = models.DateTimeField()
    last_result_id = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return self.name
