"""Aggregate counters, kept in step with the records so dashboards never count millions of rows.

The table was created by the reports app and keeps its name (`reports_counter`, and
`reports_counterversion` for the versions): the triggers of reports migrations 0003–0006 are
defined on those tables, so the models moved here in state only.
"""

from django.db import models

from lindung.lib.fields import AreaCodeField


class Metric(models.TextChoices):
    RESIDENT = "resident", "resident"  # a snapshot: persons by their current state
    DEPARTURE = "departure", "departure"  # departures by month
    RETURN = "return", "return"  # returns by month
    # Programme participants: live enrolments by status (`phase`), and those holding a
    # competency certificate; counted at the enrolment's village.
    ENROLMENT = "enrolment", "enrolment"
    CERTIFIED = "certified", "certified"
    # The Quick Win: persons placed procedurally in a formal job after a vocational training's
    # certificate, once a year each, at the village of their first such departure (`month`
    # holds the year, "YYYY").
    QUICKWIN = "quickwin", "quickwin"
    # The early warnings' items by the day that decides whether they warn (`month` holds the
    # day as an ISO 8601 ordinal date, "YYYYDDD", which sorts as the days do), so a warning's
    # count is a sum over a range of days of one area: episodes abroad by the day their
    # contract ends; episodes preparing or abroad by the day their documents are due; episodes
    # abroad by the day of the last contact with the family (the departure when there was
    # none); episodes abroad after a non-procedural departure (no day); returnees with no
    # empowerment programme by the day they returned. Persons archived or whose processing is
    # restricted count in none of them, as the warning lists leave them out.
    CONTRACT_END = "contract", "contract"
    DOCUMENTS_DUE = "documents", "documents"
    LAST_CONTACT = "contact", "contact"
    NON_PROCEDURAL = "nonproc", "nonproc"
    UNEMPOWERED = "unempower", "unempower"
    CASE_OPEN = "caseopen", "caseopen"  # open cases by urgency and due day
    CASE_CATEGORY = "casecat", "casecat"  # open cases by category (a row per category)
    OUTREACH = "outreach", "outreach"  # live information sessions held in the area
    REACHED = "reached", "reached"  # the people they reached, by sex (n is the sum)


class Counter(models.Model):
    """How many persons (or events) share these dimensions in one area.

    Each change is counted at every level (village, district, regency, province, and the
    nation with `village` "" and level 0), so a dashboard reads a few hundred rows of its own
    level and of the level below, however large the registry grows; `village` then holds the
    code of that area. Every dimension is a
    non-null string ("" when it does not apply) so the unique constraint
    holds on every database (NULLs never collide in a unique index).
    """

    village = AreaCodeField()
    # Of `village`: 0 nation, 1 province … 4 village. Read the nation's rows by village="",
    # not by level: an older bulk writer computed the level from the code and wrote 1 there.
    level = models.PositiveSmallIntegerField(default=4)
    # One of Metric; not declared as the field's choices, so a new metric needs no migration.
    metric = models.CharField(max_length=10)
    phase = models.CharField(max_length=10, blank=True)
    country = models.CharField(max_length=2, blank=True)
    sex = models.CharField(max_length=1, blank=True)
    job = models.CharField(max_length=24, blank=True)  # a job, or a case category
    procedural = models.CharField(max_length=1, blank=True)  # "y", "n" or ""
    # The time dimension: "YYYY-MM" for events, "YYYY" for the Quick Win, "YYYYDDD" for the
    # warnings, "" for snapshots.
    month = models.CharField(max_length=7, blank=True)
    n = models.IntegerField(default=0)

    DIMENSIONS = ("village", "metric", "phase", "country", "sex", "job", "procedural", "month")

    class Meta:
        db_table = "reports_counter"
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


class CounterVersion(models.Model):
    """A number that grows whenever a counter of this regency changes, in the same transaction.

    Written only by database triggers on the counters table (reports migration 0003), so every
    write path bumps it: the services, bulk imports, rebuilds, even a hand-made UPDATE. The
    dashboard keys its rendered figures on it, so a cached page is never older than the
    counters. `token` is random when the row is created: after a rollback or a restore
    re-creates the row, the same `n` gives another key.
    """

    area = AreaCodeField(primary_key=True)  # a regency code, "18.11"
    n = models.BigIntegerField(default=0)
    token = models.BigIntegerField(default=0)
    tx = models.BigIntegerField(null=True)  # PostgreSQL: the last transaction that bumped `n`

    class Meta:
        db_table = "reports_counterversion"

    def __str__(self) -> str:
        return f"{self.area} v{self.n}"


class VillageTrend(models.Model):
    """A village's non-procedural departures in the last three months (`recent`) and in the
    three months before (`before`), for the window that ends with `TrendWindow.month`.

    Kept by `lindung.counters.trends` from the village departure counters: each writer
    refreshes the villages whose counters it changed, and the window moves on (every row
    recomputed) when the month changes. `rise` is computed by the database; the villages
    whose departures rose are read through the index on it, steepest first, without summing
    the counters of every village on each view.
    """

    village = models.OneToOneField(
        "regions.Area",
        models.DO_NOTHING,
        primary_key=True,
        to_field="code",
        db_constraint=False,
        related_name="+",
    )
    recent = models.IntegerField(default=0)
    before = models.IntegerField(default=0)
    rise = models.GeneratedField(
        expression=models.F("recent") - models.F("before"),
        output_field=models.IntegerField(),
        db_persist=True,
    )

    class Meta:
        indexes = [models.Index(fields=["-rise", "village"], name="trend_rise_idx")]

    def __str__(self) -> str:
        return f"{self.village_id} {self.recent}/{self.before}"


class TrendWindow(models.Model):
    """The one row that says which window `VillageTrend` holds: the month it ends with."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    month = models.CharField(max_length=7)  # "YYYY-MM"

    def __str__(self) -> str:
        return self.month
