"""Aggregate counters, kept in step with the records so dashboards never count millions of rows."""

from django.db import models

from lindung.lib.fields import AreaCodeField


class Metric(models.TextChoices):
    RESIDENT = "resident", "resident"  # a snapshot: persons by their current state
    DEPARTURE = "departure", "departure"  # departures by month
    RETURN = "return", "return"  # returns by month


class Counter(models.Model):
    """How many persons (or events) share these dimensions in one area.

    Each change is counted at every level (village, district, regency, province), so a
    dashboard reads a few hundred rows of its own level and of the level below, however large
    the registry grows; `village` then holds the code of that area. Every dimension is a
    non-null string ("" when it does not apply) so the unique constraint
    holds on every database (NULLs never collide in a unique index).
    """

    village = AreaCodeField()
    level = models.PositiveSmallIntegerField(default=4)  # of `village`: 1 province … 4 village
    metric = models.CharField(max_length=10, choices=Metric.choices)
    phase = models.CharField(max_length=10, blank=True)
    country = models.CharField(max_length=2, blank=True)
    sex = models.CharField(max_length=1, blank=True)
    job = models.CharField(max_length=20, blank=True)
    procedural = models.CharField(max_length=1, blank=True)  # "y", "n" or ""
    month = models.CharField(max_length=7, blank=True)  # "YYYY-MM" for events, "" for snapshots
    n = models.IntegerField(default=0)

    DIMENSIONS = ("village", "metric", "phase", "country", "sex", "job", "procedural", "month")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "village",
                    "metric",
                    "phase",
                    "country",
                    "sex",
                    "job",
                    "procedural",
                    "month",
                ],
                name="counter_dimensions_unique",
            )
        ]
        indexes = [
            models.Index(fields=["metric", "village"]),
            models.Index(fields=["level", "metric", "village"], name="counter_level_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.village} {self.metric} {self.phase} {self.country} = {self.n}"
