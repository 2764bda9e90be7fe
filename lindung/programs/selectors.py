"""Reads of programmes, participants, outcomes and Quick Win progress, within the user's reach."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts.scoping import (
    NOWHERE,
    code_q,
    narrowest_area,
    reach_q,
    scope,
    user_area_code,
)
from lindung.counters.keeping import NATION
from lindung.counters.models import Counter, Metric
from lindung.lib.filters import filter_chosen
from lindung.lib.names import name_key
from lindung.lib.timeline import TimelineEntry
from lindung.placements.models import Placement, Sector
from lindung.programs.models import (
    NATIONAL_QUICK_WIN_TARGET,
    Enrollment,
    EnrollmentStatus,
    Kind,
    Outcome,
    Program,
    QuickWinTarget,
)
from lindung.regions.models import Area, ancestor_codes
from lindung.registry.models import Person


def program_list(*, user, filters: dict | None = None) -> QuerySet[Program]:
    """Programmes run in or offered to the user's area, with participant counts."""
    filters = filters or {}
    qs = Program.objects.filter(reach_q(user, "area"), archived_at__isnull=True)
    qs = filter_chosen(qs, filters, kind="kind", q="title__icontains")
    if filters.get("when") == "current":
        today = timezone.localdate()
        qs = qs.filter(starts_on__lte=today, ends_on__gte=today)
    elif filters.get("when") == "upcoming":
        qs = qs.filter(starts_on__gt=timezone.localdate())
    elif filters.get("when") == "past":
        qs = qs.filter(ends_on__lt=timezone.localdate())
    return qs.select_related("area").annotate(
        participants=_participants(user),
        completed=_participants(user, status=EnrollmentStatus.COMPLETED),
    )


def _participants(user, **status) -> Coalesce:
    """How many live participants from the user's area a programme has (of a status, when
    given): a subquery per programme listed, through the enrolments' programme index, so a
    page of programmes counts its own participants and not every enrolment in reach."""
    rows = Enrollment.objects.filter(
        code_q(user_area_code(user), "village"),
        program=OuterRef("pk"),
        archived_at__isnull=True,
        **status,
    )
    counted = rows.order_by().values("program").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), 0)


def program_get(*, user, pk) -> Program | None:
    """The programme if it is run in or offered to the user's area."""
    return (
        Program.objects.filter(reach_q(user, "area"), pk=pk)
        .select_related("area", "created_by")
        .prefetch_related("covered_areas")
        .first()
    )


def enrollment_list(*, user, program: Program | None = None, person=None) -> QuerySet[Enrollment]:
    """Participants the user may see (those of villages in the user's area)."""
    qs = scope(Enrollment.objects.filter(archived_at__isnull=True), user, field="village")
    if program is not None:
        qs = qs.filter(program=program)
    if person is not None:
        qs = qs.filter(person=person)
    return qs.select_related("person", "village", "program").order_by("person__full_name")


def enrollment_get(*, user, pk) -> Enrollment | None:
    """One participant record, if its village lies in the user's area."""
    qs = scope(Enrollment.objects.filter(pk=pk), user, field="village")
    return qs.select_related("person__village", "program__area", "village").first()


def enrollment_outcomes(*, enrollment: Enrollment) -> list[Outcome]:
    """The outcomes of a participant already in reach, oldest first."""
    return list(enrollment.outcomes.select_related("recorded_by"))


def candidate_search(*, user, query: str, limit: int = 20) -> list[Person]:
    """Registered persons of the user's area whose name or NIK matches, for enrolling."""
    query = " ".join(query.split())
    if len(query) < 2:
        return []
    qs = scope(Person.objects.filter(archived_at__isnull=True), user, field="village")
    digits = query.replace(" ", "")
    if digits.isdigit():
        qs = qs.filter(nik__startswith=digits)
    else:
        qs = qs.filter(name_key__contains=name_key(query))
    return list(qs.select_related("village").order_by("full_name")[:limit])


def person_timeline(*, user, person) -> list[TimelineEntry]:
    """The person's programmes and their outcomes, as timeline entries."""
    entries: list[TimelineEntry] = []
    enrollments = enrollment_list(user=user, person=person).prefetch_related("outcomes")
    for enrollment in enrollments:
        program = enrollment.program
        url = reverse("programs:enrollment_detail", args=[enrollment.pk])
        tone = {"completed": "ok", "dropped": "bad"}.get(enrollment.status, "")
        entries.append(
            TimelineEntry(
                on=enrollment.enrolled_on,
                title=_("Enrolled in %(program)s") % {"program": program.title},
                detail=program.get_kind_display(),
                url=url,
                badge=enrollment.get_status_display(),
                tone=tone,
                kind="program_enrolled",
            )
        )
        if enrollment.status == EnrollmentStatus.COMPLETED and enrollment.completed_on:
            detail = ""
            if enrollment.certified:
                detail = _("Certificate %(number)s (%(scheme)s)") % {
                    "number": enrollment.certificate_number,
                    "scheme": enrollment.certificate_scheme or "-",
                }
            entries.append(
                TimelineEntry(
                    on=enrollment.completed_on,
                    title=_("Completed %(program)s") % {"program": program.title},
                    detail=detail,
                    url=url,
                    badge=_("Certified") if enrollment.certified else "",
                    tone="ok",
                    kind="program_completed",
                )
            )
        for outcome in enrollment.outcomes.all():
            entries.append(
                TimelineEntry(
                    on=outcome.observed_on,
                    title=outcome.get_kind_display(),
                    detail=outcome.get_income_band_display() or outcome.note,
                    url=url,
                    kind="program_outcome",
                )
            )
    return entries


# --- Quick Win -------------------------------------------------------------------------------


def quickwin_period(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def certified_training():
    """Completed vocational trainings with a certificate dated on or before the departure."""
    return Enrollment.objects.filter(
        person=OuterRef("person"),
        program__kind=Kind.VOCATIONAL_TRAINING,
        program__archived_at__isnull=True,
        status=EnrollmentStatus.COMPLETED,
        archived_at__isnull=True,
        certificate_date__isnull=False,
        certificate_date__lte=OuterRef("departed_on"),
    ).exclude(certificate_number="")


def quickwin_placements(*, area_code: str | None, year: int | None) -> QuerySet[Placement]:
    """Procedural formal-sector departures in the year of people trained and certified first.

    `area_code` None is the whole nation, `year` None every year. The counters count each
    person once a year, at the first of these (the check of the counters recomputes them from
    this query).
    """
    if year is None:
        when = Q(departed_on__isnull=False)
    else:
        start, end = quickwin_period(year)
        when = Q(departed_on__gte=start, departed_on__lte=end)
    return Placement.objects.filter(
        code_q(area_code, "village"),
        when,
        archived_at__isnull=True,
        person__archived_at__isnull=True,
        procedural=True,
        sector=Sector.FORMAL,
    ).filter(Exists(certified_training()))


def quickwin_count(*, area_code: str | None, year: int) -> int:
    """How many persons count towards the Quick Win in the area and year, from the counters
    (`counters.keeping.quickwin_keys`: each person once a year, at their first such departure)."""
    return _quickwin_counts([area_code or NATION], year).get(area_code or NATION, 0)


def _quickwin_counts(codes: list[str], year: int) -> dict[str, int]:
    rows = Counter.objects.filter(
        village__in=codes, metric=Metric.QUICKWIN, month=f"{year:04d}", n__gt=0
    )
    counts: dict[str, int] = {}
    for code, n in rows.values_list("village", "n"):
        counts[code] = counts.get(code, 0) + n
    return counts


def quickwin_target(*, area_code: str | None, year: int) -> int | None:
    """The target set for the area and year (the national default when none is set)."""
    row = QuickWinTarget.objects.filter(
        year=year, area_id=area_code, archived_at__isnull=True
    ).first()
    if row is not None:
        return row.target
    return NATIONAL_QUICK_WIN_TARGET if area_code is None else None


@dataclass
class Progress:
    code: str | None
    title: str
    count: int
    target: int | None

    @property
    def percent(self) -> float | None:
        if not self.target:
            return None
        return min(100.0, 100.0 * self.count / self.target)

    @property
    def bar_width(self) -> str:
        """The bar's width as CSS, always with a dot (never a locale's comma)."""
        return f"{self.percent or 0:.1f}%"


def quickwin_levels(*, user, year: int, area: Area | None = None) -> list[Progress]:
    """Progress from the nation down to the area (the user's own area by default)."""
    code = area.code if area is not None else user_area_code(user)
    codes = ancestor_codes(code) if code else []
    names = {a.code: a.title for a in Area.objects.filter(code__in=codes)}
    levels = [Progress(None, _("Indonesia"), 0, None)] + [
        Progress(c, names.get(c, c), 0, None) for c in codes
    ]
    for level in levels:
        level.count = quickwin_count(area_code=level.code, year=year)
        level.target = quickwin_target(area_code=level.code, year=year)
    return levels


def quickwin_children(*, area_code: str | None, year: int) -> list[Progress]:
    """Progress of each area one level below (provinces for the nation), largest first."""
    if area_code is None:
        children = list(Area.objects.filter(level=1))
    else:
        children = list(Area.objects.filter(parent_id=area_code))
    counts = _quickwin_counts([a.code for a in children], year)
    targets = dict(
        QuickWinTarget.objects.filter(
            year=year, archived_at__isnull=True, area__in=children
        ).values_list("area_id", "target")
    )
    rows = [Progress(a.code, a.title, counts.get(a.code, 0), targets.get(a.code)) for a in children]
    return sorted(rows, key=lambda p: (-p.count, p.code))


def trained_not_placed(*, user) -> QuerySet[Enrollment]:
    """Certified vocational-training graduates of the user's area not yet placed procedurally
    in a formal-sector job after their certificate."""
    placed = Placement.objects.filter(
        person=OuterRef("person"),
        archived_at__isnull=True,
        procedural=True,
        sector=Sector.FORMAL,
        departed_on__gte=OuterRef("certificate_date"),
    )
    qs = scope(
        Enrollment.objects.filter(
            archived_at__isnull=True,
            program__kind=Kind.VOCATIONAL_TRAINING,
            status=EnrollmentStatus.COMPLETED,
            certificate_date__isnull=False,
            person__archived_at__isnull=True,
        ).exclude(certificate_number=""),
        user,
        field="village",
    )
    return (
        qs.filter(~Exists(placed))
        .select_related("person", "village", "program")
        .order_by("certificate_date", "id")
    )


def quickwin_targets(*, year: int) -> list[QuickWinTarget]:
    """Every target set for the year, national first."""
    return list(
        QuickWinTarget.objects.filter(year=year, archived_at__isnull=True)
        .select_related("area")
        .order_by("area__code")
    )


def enrolment_counts(*, user, area_code: str | None) -> tuple[dict[str, int], int]:
    """({status: n}, certified) of the live enrolments under `area_code` within the user's
    jurisdiction, read from the counters (a few rows, however many enrolments there are)."""
    area = narrowest_area(user, area_code)
    if area == NOWHERE:
        return {}, 0
    rows = (
        Counter.objects.filter(
            village=area or NATION, metric__in=[Metric.ENROLMENT, Metric.CERTIFIED], n__gt=0
        )
        .values_list("metric", "phase")
        .annotate(total=Sum("n"))
        .order_by()
    )
    by_status: dict[str, int] = {}
    certified = 0
    for metric, status, total in rows:
        if metric == Metric.CERTIFIED:
            certified += total
        else:
            by_status[status] = by_status.get(status, 0) + total
    return by_status, certified


def dashboard_panel(*, user, area_code: str | None) -> dict:
    """Quick Win progress and programme participation for an area page."""
    year = timezone.localdate().year
    count = quickwin_count(area_code=area_code, year=year)
    target = quickwin_target(area_code=area_code, year=year)
    progress = Progress(area_code, "", count, target)
    by_status, certified = enrolment_counts(user=user, area_code=area_code)
    return {
        "year": year,
        "quickwin": progress,
        "participants": sum(by_status.values()),
        "completed": by_status.get(EnrollmentStatus.COMPLETED, 0),
        "certified": certified,
        "area_code": area_code,
    }
