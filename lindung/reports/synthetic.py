"""Synthetic persons, episodes and events at national scale, for demos and benchmarks.

Nothing here is real personal data: names are drawn from lists of common given names, NIKs are
built from a real district code, the birth date and sex with a serial of 5000 or more (far
above the serials a district hands out in one day), and every row is marked synthetic by having
no creator (`created_by` is NULL) plus one audit event per batch.

Rows are written straight to the database in big batches (executemany on SQLite, COPY on
PostgreSQL), not through the per-row services; the counters are rebuilt once at the end. The
same seed and the same `today` give the same data.
"""

from __future__ import annotations

import json
import random
import time
from bisect import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from itertools import accumulate

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from lindung.audit.models import Action, AuditEvent
from lindung.audit.services import audit_record
from lindung.cases import deadlines, need_to_know
from lindung.cases.models import (
    URGENT_CATEGORIES,
    ActingLevel,
    Case,
    CaseCategory,
    CaseHandlingUnit,
    CaseStep,
    StepKind,
)
from lindung.cases.models import Status as CaseStatus
from lindung.cases.rules import party_key
from lindung.lib.bulkload import secondary_indexes_deferred
from lindung.lib.names import name_key
from lindung.lib.nik import encode_nik
from lindung.outreach.models import OutreachSession
from lindung.placements.models import Placement, PlacementEvent
from lindung.programs.models import Enrollment, Program
from lindung.programs.models import Kind as ProgrammeKind
from lindung.regions.models import Area, Level
from lindung.registry.models import FamilyMember, Person
from lindung.reports.counters import counters_rebuild
from lindung.reports.models import Counter, CounterVersion

FEMALE_NAMES = (
    "Siti Aminah", "Sri", "Dewi", "Nur", "Ani", "Wati", "Rina", "Yuli", "Eka", "Lestari",
    "Wahyuni", "Susanti", "Rahayu", "Kurniasih", "Fitri", "Nurhayati", "Aminah", "Ratna",
    "Endang", "Tri", "Sumarni", "Suryani", "Puji", "Indah", "Lilis", "Yanti", "Nining",
    "Maesaroh", "Khotimah", "Fatimah", "Umi", "Sulastri", "Kartini", "Winarti", "Sumiati",
    "Rohmah", "Mulyani", "Handayani", "Astuti", "Purwanti", "Ningsih", "Hartati", "Sundari",
    "Juwariyah", "Marlina", "Novita", "Dwi", "Ayu", "Putri", "Siti", "Musrifah", "Tuminah",
    "Sukinah", "Darsih", "Karsini", "Rasminah", "Wartini", "Baiq", "Nurul", "Hikmah",
)  # fmt: skip
MALE_NAMES = (
    "Agus", "Budi", "Eko", "Joko", "Slamet", "Bambang", "Hadi", "Dedi", "Rudi", "Andi",
    "Ahmad", "Muhammad", "Suparman", "Sugeng", "Wahyu", "Heru", "Yusuf", "Rahmat", "Hasan",
    "Imam", "Sutrisno", "Sukarman", "Supriyadi", "Darmawan", "Hendra", "Irfan", "Fajar",
    "Taufik", "Rizki", "Arif", "Yanto", "Mulyono", "Purnomo", "Santoso", "Saputra", "Nugroho",
    "Setiawan", "Hidayat", "Kurniawan", "Prasetyo", "Gunawan", "Firmansyah", "Abdul", "Ali",
    "Lalu", "Suharto", "Wagiman", "Paijo", "Tarmizi", "Zainal",
)  # fmt: skip
FEMALE_SHARE = 0.72
SINGLE_NAME_SHARE = 0.25

# Placements of 2024 (BP2MI, January–October) by destination, with the largest jobs there.
DESTINATIONS = {
    "HK": (85674, {"domestic_worker": 80, "caregiver": 20}),
    "TW": (72973, {"caregiver": 45, "factory_worker": 30, "domestic_worker": 10,
                   "fishing_crew": 15}),
    "MY": (40695, {"plantation": 40, "factory_worker": 25, "construction": 20,
                   "domestic_worker": 15}),
    "JP": (10774, {"factory_worker": 40, "caregiver": 30, "nurse": 10, "construction": 20}),
    "SG": (8757, {"domestic_worker": 85, "caregiver": 15}),
    "KR": (8595, {"factory_worker": 70, "fishing_crew": 20, "construction": 10}),
    "SA": (6612, {"domestic_worker": 70, "hospitality": 20, "other": 10}),
    "IT": (2873, {"hospitality": 60, "caregiver": 40}),
    "BN": (2476, {"domestic_worker": 50, "construction": 50}),
    "TR": (2472, {"hospitality": 70, "other": 30}),
    "AE": (1500, {"domestic_worker": 50, "hospitality": 50}),
    "PL": (900, {"factory_worker": 100}),
    "NL": (400, {"merchant_crew": 100}),
}  # fmt: skip
INFORMAL_JOBS = {"domestic_worker", "caregiver"}
MOSTLY_FEMALE_JOBS = {"domestic_worker": 0.97, "caregiver": 0.9, "nurse": 0.8, "hospitality": 0.6}
MOSTLY_MALE_JOBS = {"plantation", "construction", "fishing_crew", "merchant_crew"}
AGENCIES = (
    "PT Sinar Harapan Mandiri", "PT Bina Karya Sejahtera", "PT Mitra Tenaga Utama",
    "PT Cahaya Insani Abadi", "PT Duta Migran Nusantara", "PT Lintas Benua Sentosa",
    "PT Arta Graha Perkasa", "PT Putra Jaya Bersama",
)  # fmt: skip
# Pasal 27 reasons, weighted (death is left out: it is recorded through its own event).
RETURN_REASONS = {
    "contract_ended": 70, "leave": 8, "dismissed": 5, "accident_illness": 4, "abuse": 2,
    "war_disaster": 1, "deported": 5, "other": 5,
}  # fmt: skip
# Known sending provinces weigh more: Lampung, NTB, Central, East and West Java.
PROVINCE_WEIGHTS = {"18": 12, "52": 12, "33": 18, "35": 18, "32": 14}
OTHER_PROVINCE_WEIGHT = 1
PHASES = {"none": 3, "candidate": 14, "abroad": 45, "returned": 38}
NON_PROCEDURAL_SHARE = 0.18
EDUCATION = {"sd": 30, "smp": 35, "sma": 28, "diploma": 4, "s1": 3}
MARITAL = {"single": 30, "married": 55, "divorced": 12, "widowed": 3}
BATCH = 20_000  # persons generated, then written, at a time


def _weighted(choices: dict):
    """A sampler of a weighted dict's keys."""
    keys = list(choices)
    weights = [w[0] if isinstance(w, tuple) else w for w in choices.values()]
    cum = list(accumulate(weights))
    total = cum[-1]

    def pick(rng: random.Random):
        return keys[bisect(cum, rng.random() * total)]

    return pick


@dataclass
class Village:
    code: str
    district: str
    regency: str
    regency_name: str


@dataclass
class Totals:
    persons: int = 0
    placements: int = 0
    events: int = 0
    family: int = 0
    cases: int = 0
    programmes: int = 0
    enrolments: int = 0
    sessions: int = 0
    audit: int = 0
    seconds: dict = field(default_factory=dict)
    bytes_written: int = 0
    bytes_total: int = 0


class _Table:
    """A model's table written in bulk: the columns a generator sets, in its order, then every
    other column with its default (`tail`, the same for every row)."""

    def __init__(self, model: type[models.Model], columns: tuple[str, ...], now):
        self.model = model
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = set(columns) - set(fields)
        if unknown:
            raise ValueError(f"{model.__name__} has no column {sorted(unknown)}")
        rest = [f for name, f in fields.items() if name not in columns]
        tail = []
        for f in rest:
            if isinstance(f, models.DateTimeField) and (
                f.auto_now or f.auto_now_add or f.has_default()
            ):
                tail.append(now)
            elif isinstance(f, models.JSONField):
                tail.append(json.dumps(f.get_default()))
            else:
                tail.append(f.get_default())
        self.tail = tuple(tail)
        self.columns = [fields[name].column for name in columns] + [f.column for f in rest]
        self.table = model._meta.db_table
        self.rows: list[tuple] = []
        self.next_id = (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        self.written = 0

    def take_id(self) -> int:
        pk = self.next_id
        self.next_id += 1
        return pk

    def flush(self) -> None:
        rows, self.rows = self.rows, []
        if not rows:
            return
        self.written += len(rows)
        name = connection.ops.quote_name(self.table)
        columns = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {name} ({columns}) FROM STDIN") as copy:
                    write = copy.write_row
                    for row in rows:
                        write(row)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                # Table and column names come from the model, never from input.
                sql = f"INSERT INTO {name} ({columns}) VALUES ({marks})"  # noqa: S608
                cursor.executemany(sql, rows)


class _IsoDays(dict):
    """Day number (date.toordinal) → 'YYYY-MM-DD', each computed once."""

    def __missing__(self, day: int) -> str:
        text = self[day] = date.fromordinal(day).isoformat()
        return text


def _villages(area: str | None) -> tuple[list[Village], list[float]]:
    regencies = dict(Area.objects.filter(level=Level.REGENCY).values_list("code", "name"))
    qs = Area.objects.filter(level=Level.VILLAGE)
    if area:
        qs = qs.filter(models.Q(code=area) | models.Q(code__startswith=area + "."))
    villages, weights = [], []
    for code in qs.order_by("code").values_list("code", flat=True):
        regency = regencies.get(code[:5], "")
        for prefix in ("Kabupaten ", "Kota "):
            regency = regency.removeprefix(prefix)
        villages.append(
            Village(code=code, district=code[:8], regency=code[:5], regency_name=regency)
        )
        weights.append(PROVINCE_WEIGHTS.get(code[:2], OTHER_PROVINCE_WEIGHT))
    return villages, list(accumulate(weights))


PERSON = (
    "id", "nik", "kk_number", "full_name", "name_key", "sex", "birth_place", "birth_date",
    "village_id", "rt", "rw", "education", "marital_status", "verified_at", "phase",
    "current_placement_id",
)  # fmt: skip
PLACEMENT = (
    "id", "person_id", "village_id", "scheme", "destination_country", "sector", "job",
    "agency_name", "agency_license", "contract_start", "contract_end", "planned_departure",
    "passport_number", "passport_expiry", "visa_expiry", "status", "procedural", "departed_on",
    "returned_on", "last_check_in_on", "return_reason",
)  # fmt: skip
EVENT = (
    "id", "placement_id", "person_id", "village_id", "kind", "occurred_on", "check_in_result",
    "return_reason",
)  # fmt: skip
FAMILY = ("id", "person_id", "name", "relation", "birth_date")
AUDIT = ("id", "at", "action", "object_type", "object_id", "object_repr", "area_code", "changes")
CASE = (
    "id", "person_id", "village_id", "placement_id", "reported_on", "reporter_kind", "channel",
    "country", "narrative", "agency_name", "agency_key", "urgent", "status", "status_since",
    "due_on", "intake_level", "responsible_level",
)  # fmt: skip
CASE_CATEGORY = ("id", "case_id", "code")
CASE_STEP = ("id", "case_id", "kind", "occurred_on", "status_from", "status_to", "level", "note")
HANDLING_UNIT = ("id", "case_id", "unit", "area_id")
PROGRAMME = (
    "id", "title", "kind", "organiser", "area_id", "starts_on", "ends_on", "quota",
    "target_groups", "sessions",
)  # fmt: skip
ENROLMENT = (
    "id", "program_id", "person_id", "village_id", "enrolled_on", "status", "sessions_attended",
    "completed_on",
)  # fmt: skip
SESSION = (
    "id", "held_on", "area_id", "organiser_kind", "organiser_name", "channel", "topics",
    "attendees_male", "attendees_female",
)  # fmt: skip

# Realistic shares (the command's help and docs/performance.md state them).
CASE_SHARE = 0.01  # of persons who have ever worked abroad: a complaint recorded
CASE_VERIFIED_SHARE = 0.6  # the others are still as received
ENROLMENT_SHARE = {"candidate": 0.08, "returned": 0.05}  # in a programme of their regency
PERSONS_PER_SESSION = 100  # one outreach session for every hundred persons registered
CASE_CATEGORIES = {
    "wages_unpaid": 20, "wants_to_return": 15, "work_not_as_contracted": 12,
    "dismissed_early": 8, "documents_withheld": 8, "sick": 7, "lost_contact": 7,
    "employer_violence": 5, "excessive_fees": 5, "undocumented": 4, "deported": 3,
    "job_fraud": 3, "other": 3,
}  # fmt: skip
PROGRAMME_KINDS = {
    "candidate": ("vocational_training", "orientation"),
    "returned": ("empowerment_business", "empowerment_finance", "empowerment_cooperative"),
}
SESSION_TOPICS = ("rights", "jobs", "procedure", "costs", "trafficking", "complaints", "p3mi")


class Generator:
    """Draws one person after another from a seeded random source and appends their rows."""

    def __init__(self, *, seed: int, today: date, villages, cum_weights, taken_niks, tables, now):
        self.rng = random.Random(seed)
        self.today = today.toordinal()
        self.villages = villages
        self.cum = cum_weights
        self.niks = taken_niks
        self.t = tables
        self.now = now
        self.iso = _IsoDays()
        self.destination = _weighted(DESTINATIONS)
        self.jobs = {c: _weighted(jobs) for c, (_, jobs) in DESTINATIONS.items()}
        self.phase = _weighted(PHASES)
        self.reason = _weighted(RETURN_REASONS)
        self.education = _weighted(EDUCATION)
        self.marital = _weighted(MARITAL)
        self.category = _weighted(CASE_CATEGORIES)
        self.keys: dict[str, str] = {}
        self.programmes: dict[tuple[str, str], int] = {}
        self.unit_of = {}
        configured = deadlines.configured()
        self.due = {
            (status, urgent): deadlines.deadline_days(status, urgent=urgent, **configured)
            for status in (CaseStatus.RECEIVED, CaseStatus.VERIFIED)
            for urgent in (False, True)
        }

    def randint(self, low: int, high: int) -> int:
        return low + int(self.rng.random() * (high - low + 1))

    def village(self) -> Village:
        return self.villages[bisect(self.cum, self.rng.random() * self.cum[-1])]

    def name(self, sex: str) -> str:
        names = FEMALE_NAMES if sex == "F" else MALE_NAMES
        rand = self.rng.random
        first = names[int(rand() * len(names))]
        if rand() < SINGLE_NAME_SHARE:
            return first
        second = names[int(rand() * len(names))]
        return first if second == first else f"{first} {second}"

    def name_key(self, name: str) -> str:
        key = self.keys.get(name)
        if key is None:
            key = self.keys[name] = name_key(name)
        return key

    def nik(self, district: str, birth_day: int, sex: str) -> str:
        birth_date = date.fromordinal(birth_day)
        while True:
            nik = encode_nik(
                district_code=district,
                birth_date=birth_date,
                sex=sex,
                serial=self.randint(5000, 9999),
            )
            if nik not in self.niks:
                self.niks.add(nik)
                return nik

    def day(self, start: int, end: int) -> int:
        """A day number between start and end (start when end is earlier)."""
        return start + int(self.rng.random() * (max(end - start, 0) + 1))

    def job_and_sex(self, country: str) -> tuple[str, str]:
        job = self.jobs[country](self.rng)
        if job in MOSTLY_MALE_JOBS:
            sex = "F" if self.rng.random() < 0.05 else "M"
        else:
            share = MOSTLY_FEMALE_JOBS.get(job, 0.35)
            sex = "F" if self.rng.random() < share else "M"
        return job, sex

    def audit(self, object_type: str, object_id: int, label: str, area: str, village: str):
        t = self.t["audit_events"]
        changes = f'{{"village": [null, "{village}"]}}'
        t.rows.append(
            (t.take_id(), self.now, Action.CREATE, object_type, str(object_id), label, area,
             changes) + t.tail
        )  # fmt: skip

    def person(self) -> None:
        """One person with 0–2 episodes, their events, family, and perhaps a case or a
        programme."""
        rng, today, iso, t = self.rng, self.today, self.iso, self.t
        rand = rng.random
        village = self.village()
        phase = self.phase(rng)
        country = self.destination(rng)
        job, sex = self.job_and_sex(country)
        if phase == "none" and rand() < 0.5:
            sex = "F" if rand() < FEMALE_SHARE else "M"
        if phase == "candidate" and rand() < 0.01:
            age_days = self.randint(16 * 365, 18 * 365 - 30)  # a minor: the early warning
        else:
            age_days = self.randint(19 * 365, 48 * 365)
        birth = today - age_days
        full_name = self.name(sex)
        marital = self.marital(rng) if age_days > 20 * 365 else "single"
        person_id = t["persons"].take_id()

        episodes: list[tuple] = []  # (status, departed, returned) as day numbers
        if phase == "returned" or (phase == "abroad" and rand() < 0.25):
            # An earlier episode that ended with a return.
            departed = self.day(today - 8 * 365, today - (2 * 365 + 60))
            returned = min(departed + self.randint(300, 3 * 365), today - 30)
            if phase == "returned" and rand() < 0.3:
                returned = self.day(today - 700, today - 2)
                departed = returned - self.randint(300, 2 * 365)
            episodes.append(("returned", departed, returned))
        if phase == "abroad":
            start = today - 700
            if episodes:
                start = episodes[-1][2] + 20
            episodes.append(("abroad", self.day(start, today - 3), None))
        elif phase == "candidate":
            episodes.append(("planned", None, None))

        current = None
        for i, episode in enumerate(episodes):
            if i:
                country = self.destination(rng)
                job = self.jobs[country](rng)
            current = self.placement(person_id, village, country, job, episode)

        p = t["persons"]
        p.rows.append(
            (
                person_id,
                self.nik(village.district, birth, sex),
                village.district.replace(".", "") + f"{int(rand() * 10**10):010d}",
                full_name,
                self.name_key(full_name),
                sex,
                village.regency_name,
                iso[birth],
                village.code,
                f"{1 + int(rand() * 12):03d}",
                f"{1 + int(rand() * 6):03d}",
                self.education(rng),
                marital,
                self.now if rand() < 0.8 else None,
                phase,
                current[0] if current else None,
            )
            + p.tail
        )
        self.audit("registry.person", person_id, full_name, village.code, village.code)
        f = t["family_members"]
        if marital == "married":
            spouse = self.name("M" if sex == "F" else "F")
            f.rows.append((f.take_id(), person_id, spouse, "spouse", None) + f.tail)
        if marital != "single":
            for _ in range((0, 1, 1, 2, 2, 3)[int(rand() * 6)]):
                born = self.day(birth + 20 * 365, today - 30)
                child = self.name("M" if rand() < 0.5 else "F")
                f.rows.append((f.take_id(), person_id, child, "child", iso[born]) + f.tail)
        if current and current[1] and rand() < CASE_SHARE:
            self.case(person_id, village, current)
        share = ENROLMENT_SHARE.get(phase)
        if share and rand() < share:
            self.enrolment(person_id, village, phase)

    def placement(self, person_id, village, country, job, episode) -> tuple:
        rng, today, iso, t = self.rng, self.today, self.iso, self.t
        rand = rng.random
        status, departed, returned = episode
        procedural = None if status == "planned" else rand() >= NON_PROCEDURAL_SHARE
        if procedural is False:
            scheme = "individual" if rand() < 0.7 else "p2p"
        elif country in ("KR", "JP") and rand() < 0.5:
            scheme = "g2g"
        else:
            scheme = "p2p" if rand() < 0.9 else "individual"
        agency = AGENCIES[int(rand() * len(AGENCIES))] if scheme == "p2p" else ""
        if status == "planned":
            registered = self.day(today - 150, today - 1)
            planned = self.day(today + 14, today + 180)
        else:
            registered = departed - self.randint(30, 120)
            planned = departed
        contract_end = planned + 730
        passport_issued = registered - self.randint(0, 400)
        placement_id = t["placements"].take_id()
        e = t["events"]
        rows, tail, take = e.rows, e.tail, e.take_id
        base = (placement_id, person_id, village.code)
        rows.append((take(), *base, "registered", iso[registered], "", "") + tail)
        last_check = None
        reason = ""
        if departed:
            rows.append((take(), *base, "departed", iso[departed], "", "") + tail)
            rows.append((take(), *base, "arrived", iso[departed + 1], "", "") + tail)
            end = returned or today
            for _ in range(int(rand() * 6)):
                on = self.day(departed + 30, end)
                if on <= end and (last_check is None or on > last_check):
                    if rand() < 0.9:
                        result = "fine"
                    else:
                        result = "problem" if rand() < 0.5 else "no_contact"
                    rows.append((take(), *base, "check_in", iso[on], result, "") + tail)
                    last_check = on
            if returned:
                reason = self.reason(rng)
                rows.append((take(), *base, "returned", iso[returned], "", reason) + tail)
        contracted = procedural is not False
        pl = t["placements"]
        pl.rows.append(
            (
                placement_id,
                person_id,
                village.code,
                scheme,
                country,
                "informal" if job in INFORMAL_JOBS else "formal",
                job,
                agency,
                f"KEP.{self.randint(100, 999)}/2023" if agency else "",
                iso[planned] if contracted else None,
                iso[contract_end] if contracted else None,
                iso[planned],
                f"X{self.randint(1000000, 9999999)}",
                iso[passport_issued + 5 * 365],
                iso[contract_end] if procedural else None,
                status,
                procedural,
                iso[departed] if departed else None,
                iso[returned] if returned else None,
                iso[last_check] if last_check else None,
                reason,
            )
            + pl.tail
        )
        return placement_id, departed, returned, country, agency

    def case(self, person_id: int, village: Village, current: tuple) -> None:
        """A complaint about the current episode, recorded by the regency (as case_create
        does), still received or verified."""
        rng, t, iso = self.rng, self.t, self.iso
        placement_id, departed, returned, country, agency = current
        reported = self.day(departed + 60, (returned or self.today) + 30)
        reported = min(reported, self.today)
        code = self.category(rng)
        urgent = code in URGENT_CATEGORIES
        verified = rng.random() < CASE_VERIFIED_SHARE
        status = CaseStatus.VERIFIED if verified else CaseStatus.RECEIVED
        since = min(reported + self.randint(1, 5), self.today) if verified else reported
        allowed = self.due[(status, urgent)]
        due = iso[since + allowed] if allowed is not None else None
        level = ActingLevel.REGENCY
        c = t["cases"]
        case_id = c.take_id()
        c.rows.append(
            (case_id, person_id, village.code, placement_id, iso[reported],
             "family" if rng.random() < 0.6 else "worker",
             ("walk_in", "phone", "whatsapp", "e_pengaduan")[int(rng.random() * 4)],
             country if not returned else "", "Data sintetis.", agency, party_key(agency),
             urgent, status, iso[since], due, level, level) + c.tail
        )  # fmt: skip
        cc = t["case_categories"]
        cc.rows.append((cc.take_id(), case_id, code) + cc.tail)
        s = t["case_steps"]
        s.rows.append(
            (s.take_id(), case_id, StepKind.RECORDED, iso[reported], "", CaseStatus.RECEIVED,
             level, "") + s.tail
        )  # fmt: skip
        if verified:
            s.rows.append(
                (s.take_id(), case_id, StepKind.VERIFIED, iso[since], CaseStatus.RECEIVED,
                 CaseStatus.VERIFIED, None, "") + s.tail
            )  # fmt: skip
        h = t["handling_units"]
        unit, area = need_to_know.level_unit(level, village.code)
        h.rows.append((h.take_id(), case_id, unit, area) + h.tail)
        self.audit("cases.case", case_id, f"Kasus {case_id}", village.code, village.code)

    def enrolment(self, person_id: int, village: Village, phase: str) -> None:
        rng, t, iso, today = self.rng, self.t, self.iso, self.today
        kinds = PROGRAMME_KINDS[phase]
        kind = kinds[int(rng.random() * len(kinds))]
        programme = self.programmes.get((village.regency, kind))
        if programme is None:
            programme = self.programme(village.regency, kind)
        programme_id, starts = programme
        enrolled = starts - self.randint(1, 30)
        draw = rng.random()
        status = "completed" if draw < 0.6 else ("enrolled" if draw < 0.9 else "dropped")
        sessions = 4 if status == "completed" else self.randint(0, 3)
        e = t["enrolments"]
        e.rows.append(
            (e.take_id(), programme_id, person_id, village.code, iso[enrolled], status, sessions,
             iso[min(starts + 28, today)] if status == "completed" else None) + e.tail
        )  # fmt: skip
        self.audit("programs.enrollment", e.next_id - 1, "", village.code, village.code)

    def programme(self, regency: str, kind: str) -> tuple[int, int]:
        t, iso = self.t, self.iso
        starts = self.day(self.today - 300, self.today - 30)
        p = t["programmes"]
        programme_id = p.take_id()
        title = f"{dict(ProgrammeKind.choices)[kind]} {regency}"
        group = '["returned"]' if kind.startswith("empowerment") else '["candidate"]'
        p.rows.append(
            (programme_id, title, kind, "disnaker", regency, iso[starts], iso[starts + 28], None,
             group, 4) + p.tail
        )  # fmt: skip
        self.audit("programs.program", programme_id, title, regency, regency)
        self.programmes[(regency, kind)] = (programme_id, starts)
        return programme_id, starts

    def session(self) -> None:
        rng, t, iso = self.rng, self.t, self.iso
        village = self.village()
        held = self.day(self.today - 730, self.today)
        topics = rng.sample(SESSION_TOPICS, 1 + int(rng.random() * 3))
        s = t["sessions"]
        s.rows.append(
            (s.take_id(), iso[held], village.code, "village", "Pemerintah Desa",
             ("village_meeting", "worship", "posyandu", "whatsapp")[int(rng.random() * 4)],
             json.dumps(topics), self.randint(5, 40), self.randint(10, 60)) + s.tail
        )  # fmt: skip
        self.audit("outreach.outreachsession", s.next_id - 1, "", village.code, village.code)


def _size_on_disk() -> int:
    """Bytes the database's tables and indexes take."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT COALESCE(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'm')"
            )
            return int(cursor.fetchone()[0])
        cursor.execute("PRAGMA page_count")
        pages = cursor.fetchone()[0]
        cursor.execute("PRAGMA freelist_count")
        pages -= cursor.fetchone()[0]
        cursor.execute("PRAGMA page_size")
        return pages * cursor.fetchone()[0]


def _counters_rebuilt_in_bulk() -> None:
    """counters_rebuild with the counter table's indexes built after its rows; on SQLite the
    version triggers are lifted meanwhile and every regency's version is bumped once after."""
    table = Counter._meta.db_table
    with secondary_indexes_deferred([table], sqlite_triggers=True):
        counters_rebuild()
    if connection.vendor != "postgresql":
        versions = CounterVersion._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT OR IGNORE INTO {versions} (area, n, token) "  # noqa: S608
                f"SELECT DISTINCT substr(village, 1, 5), 0, abs(random() % 1000000000) "
                f"FROM {table} WHERE length(village) = 13"
            )
            cursor.execute(f"UPDATE {versions} SET n = n + 1")  # noqa: S608


def synthetic_generate(
    *, people: int, seed: int = 1, area: str | None = None, today: date | None = None, log=None
) -> Totals:
    """Write `people` synthetic persons (with episodes, events, family, cases, programmes,
    outreach sessions and their audit rows), then rebuild the counters."""
    today = today or timezone.localdate()
    villages, cum = _villages(area)
    if not villages:
        raise ValueError(f"No village lies in area {area!r}.")
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    totals = Totals()
    clock = time.monotonic()
    size_before = _size_on_disk()
    # SQLite: with its foreign keys on, a row whose parent is written later leaves a pending
    # violation, and every later parent row then scans its children (no index during the
    # load): quadratic. They are checked once, table by table, before the commit instead.
    with connection.constraint_checks_disabled(), transaction.atomic():
        tables = {
            "persons": _Table(Person, PERSON, now),
            "placements": _Table(Placement, PLACEMENT, now),
            "events": _Table(PlacementEvent, EVENT, now),
            "family_members": _Table(FamilyMember, FAMILY, now),
            "programmes": _Table(Program, PROGRAMME, now),
            "enrolments": _Table(Enrollment, ENROLMENT, now),
            "cases": _Table(Case, CASE, now),
            "case_categories": _Table(CaseCategory, CASE_CATEGORY, now),
            "case_steps": _Table(CaseStep, CASE_STEP, now),
            "handling_units": _Table(CaseHandlingUnit, HANDLING_UNIT, now),
            "sessions": _Table(OutreachSession, SESSION, now),
            "audit_events": _Table(AuditEvent, AUDIT, now),
        }
        gen = Generator(
            seed=seed,
            today=today,
            villages=villages,
            cum_weights=cum,
            taken_niks=set(Person.objects.values_list("nik", flat=True)),
            tables=tables,
            now=now,
        )
        # Programmes are written last: enrolments point at them (checked at commit).
        order = [name for name in tables if name != "programmes"] + ["programmes"]
        with secondary_indexes_deferred(t.table for t in tables.values()):
            totals.seconds["setup"] = time.monotonic() - clock
            clock = time.monotonic()
            done = 0
            while done < people:
                size = min(BATCH, people - done)
                for _ in range(size):
                    gen.person()
                for _ in range(size // PERSONS_PER_SESSION):
                    gen.session()
                for name in order:
                    if name != "programmes":
                        tables[name].flush()
                done += size
                if log:
                    log(f"{done} persons written ({time.monotonic() - clock:.0f} s)")
            tables["programmes"].flush()
            totals.seconds["rows"] = time.monotonic() - clock
            clock = time.monotonic()
        if connection.vendor != "postgresql":
            connection.check_constraints(table_names=[t.table for t in tables.values()])
        totals.seconds["indexes"] = time.monotonic() - clock
        clock = time.monotonic()
        _reset_sequences([t.model for t in tables.values()])
        audit_record(
            actor=None,
            action=Action.IMPORT,
            object_type="synthetic",
            object_repr=f"Synthetic persons (seed {seed})",
            area_code=area or "",
            changes={
                "synthetic": True,
                "seed": seed,
                **{name: t.written for name, t in tables.items()},
            },
        )
        _counters_rebuilt_in_bulk()
        totals.seconds["counters"] = time.monotonic() - clock
        clock = time.monotonic()
    # Fresh statistics, or the planner still believes the tables are nearly empty.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    totals.seconds["analyze"] = time.monotonic() - clock
    totals.persons = tables["persons"].written
    totals.placements = tables["placements"].written
    totals.events = tables["events"].written
    totals.family = tables["family_members"].written
    totals.cases = tables["cases"].written
    totals.programmes = tables["programmes"].written
    totals.enrolments = tables["enrolments"].written
    totals.sessions = tables["sessions"].written
    totals.audit = tables["audit_events"].written + 1
    totals.bytes_total = _size_on_disk()
    totals.bytes_written = totals.bytes_total - size_before
    return totals


def _reset_sequences(model_list: Iterable[type[models.Model]]) -> None:
    """Move PostgreSQL's id sequences past the ids written here (SQLite needs nothing)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_list))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
