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
from bisect import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from lindung.audit.models import Action
from lindung.audit.services import audit_record
from lindung.lib.names import name_key
from lindung.lib.nik import encode_nik
from lindung.placements.models import Placement, PlacementEvent
from lindung.regions.models import Area, Level
from lindung.registry.models import FamilyMember, Person
from lindung.reports.counters import counters_rebuild

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
BATCH = 20_000


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
    regency_name: str


@dataclass
class Totals:
    persons: int = 0
    placements: int = 0
    events: int = 0
    family: int = 0
    batches: list = field(default_factory=list)


class _Table:
    """One model's columns and the defaults of the columns a row leaves out."""

    def __init__(self, model: type[models.Model], now):
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.columns = [f.column for f in self.fields]
        self.defaults = {}
        for f in self.fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                value = now
            elif isinstance(f, models.JSONField):
                value = json.dumps(f.get_default())
            else:
                value = f.get_default()
            self.defaults[f.attname] = value
        self.attnames = [f.attname for f in self.fields]

    def row(self, values: dict) -> tuple:
        return tuple(values.get(a, self.defaults[a]) for a in self.attnames)


def _write(table: _Table, rows: list[tuple]) -> None:
    if not rows:
        return
    name = connection.ops.quote_name(table.model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in table.columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {name} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(table.columns))
            # Table and column names come from the model, never from input.
            sql = f"INSERT INTO {name} ({columns}) VALUES ({marks})"  # noqa: S608
            cursor.executemany(sql, rows)


def _next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


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
        villages.append(Village(code=code, district=code[:8], regency_name=regency))
        weights.append(PROVINCE_WEIGHTS.get(code[:2], OTHER_PROVINCE_WEIGHT))
    return villages, list(accumulate(weights))


class Generator:
    """Draws one person after another from a seeded random source."""

    def __init__(self, *, seed: int, today: date, villages, cum_weights, taken_niks: set[str]):
        self.rng = random.Random(seed)
        self.today = today
        self.villages = villages
        self.cum = cum_weights
        self.niks = taken_niks
        self.destination = _weighted(DESTINATIONS)
        self.jobs = {c: _weighted(jobs) for c, (_, jobs) in DESTINATIONS.items()}
        self.phase = _weighted(PHASES)
        self.reason = _weighted(RETURN_REASONS)
        self.education = _weighted(EDUCATION)
        self.marital = _weighted(MARITAL)
        self.keys: dict[str, str] = {}

    def village(self) -> Village:
        return self.villages[bisect(self.cum, self.rng.random() * self.cum[-1])]

    def name(self, sex: str) -> str:
        names = FEMALE_NAMES if sex == "F" else MALE_NAMES
        first = self.rng.choice(names)
        if self.rng.random() < SINGLE_NAME_SHARE:
            return first
        second = self.rng.choice(names)
        return first if second == first else f"{first} {second}"

    def name_key(self, name: str) -> str:
        key = self.keys.get(name)
        if key is None:
            key = self.keys[name] = name_key(name)
        return key

    def nik(self, district: str, birth_date: date, sex: str) -> str:
        while True:
            nik = encode_nik(
                district_code=district,
                birth_date=birth_date,
                sex=sex,
                serial=self.rng.randint(5000, 9999),
            )
            if nik not in self.niks:
                self.niks.add(nik)
                return nik

    def day(self, start: date, end: date) -> date:
        span = (end - start).days
        return start + timedelta(days=self.rng.randint(0, max(span, 0)))

    def job_and_sex(self, country: str) -> tuple[str, str]:
        job = self.jobs[country](self.rng)
        if job in MOSTLY_MALE_JOBS:
            sex = "F" if self.rng.random() < 0.05 else "M"
        else:
            share = MOSTLY_FEMALE_JOBS.get(job, 0.35)
            sex = "F" if self.rng.random() < share else "M"
        return job, sex


class Batch:
    """The rows of one batch, with ids handed out in advance so rows can point at each other."""

    def __init__(self, tables: dict[str, _Table], ids: dict[str, int]):
        self.tables = tables
        self.ids = ids
        self.rows: dict[str, list[tuple]] = {name: [] for name in tables}

    def add(self, name: str, values: dict) -> int:
        pk = self.ids[name]
        self.ids[name] += 1
        values["id"] = pk
        self.rows[name].append(self.tables[name].row(values))
        return pk


def _person(gen: Generator, batch: Batch) -> None:
    """One person with 0–2 episodes, their events and their family."""
    rng, today = gen.rng, gen.today
    village = gen.village()
    phase = gen.phase(rng)
    country = gen.destination(rng)
    job, sex = gen.job_and_sex(country)
    if phase == "none" and rng.random() < 0.5:
        sex = "F" if rng.random() < FEMALE_SHARE else "M"
    if phase == "candidate" and rng.random() < 0.01:
        age_days = rng.randint(16 * 365, 18 * 365 - 30)  # a minor: the early warning catches it
    else:
        age_days = rng.randint(19 * 365, 48 * 365)
    birth_date = today - timedelta(days=age_days)
    full_name = gen.name(sex)
    marital = gen.marital(rng) if age_days > 20 * 365 else "single"
    person_id = batch.ids["person"]
    batch.ids["person"] += 1

    episodes: list[dict] = []
    if phase == "returned" or (phase == "abroad" and rng.random() < 0.25):
        # An earlier episode that ended with a return.
        departed = gen.day(today - timedelta(days=8 * 365), today - timedelta(days=2 * 365 + 60))
        returned = min(departed + timedelta(days=rng.randint(300, 3 * 365)), today - timedelta(30))
        if phase == "returned" and rng.random() < 0.3:
            returned = gen.day(today - timedelta(days=700), today - timedelta(days=2))
            departed = returned - timedelta(days=rng.randint(300, 2 * 365))
        episodes.append({"status": "returned", "departed": departed, "returned": returned})
    if phase == "abroad":
        start = today - timedelta(days=700)
        if episodes:
            start = episodes[-1]["returned"] + timedelta(days=20)
        departed = gen.day(start, today - timedelta(days=3))
        episodes.append({"status": "abroad", "departed": departed})
    elif phase == "candidate":
        episodes.append({"status": "planned"})

    current_id = None
    for i, episode in enumerate(episodes):
        if i:
            country = gen.destination(rng)
            job = gen.jobs[country](rng)
        current_id = _placement(gen, batch, person_id, village, country, job, episode)

    verified = rng.random() < 0.8
    batch.rows["person"].append(
        batch.tables["person"].row(
            {
                "id": person_id,
                "nik": gen.nik(village.district, birth_date, sex),
                "kk_number": village.district.replace(".", "")
                + f"{rng.randint(0, 10**10 - 1):010d}",
                "full_name": full_name,
                "name_key": gen.name_key(full_name),
                "sex": sex,
                "birth_place": village.regency_name,
                "birth_date": birth_date.isoformat(),
                "village_id": village.code,
                "rt": f"{rng.randint(1, 12):03d}",
                "rw": f"{rng.randint(1, 6):03d}",
                "education": gen.education(rng),
                "marital_status": marital,
                "verified_at": gen.created if verified else None,
                "phase": phase,
                "current_placement_id": current_id,
            }
        )
    )
    if marital == "married":
        spouse_sex = "M" if sex == "F" else "F"
        batch.add(
            "family",
            {"person_id": person_id, "name": gen.name(spouse_sex), "relation": "spouse"},
        )
    if marital != "single":
        for _ in range(rng.choice((0, 1, 1, 2, 2, 3))):
            born = gen.day(birth_date + timedelta(days=20 * 365), today - timedelta(days=30))
            batch.add(
                "family",
                {
                    "person_id": person_id,
                    "name": gen.name(rng.choice("MF")),
                    "relation": "child",
                    "birth_date": born.isoformat(),
                },
            )


def _placement(gen, batch, person_id, village, country, job, episode) -> int:
    rng, today = gen.rng, gen.today
    status = episode["status"]
    procedural = None if status == "planned" else rng.random() >= NON_PROCEDURAL_SHARE
    if procedural is False:
        scheme = "individual" if rng.random() < 0.7 else "p2p"
    elif country in ("KR", "JP") and rng.random() < 0.5:
        scheme = "g2g"
    else:
        scheme = "p2p" if rng.random() < 0.9 else "individual"
    agency = rng.choice(AGENCIES) if scheme == "p2p" else ""
    departed, returned = episode.get("departed"), episode.get("returned")
    if status == "planned":
        registered = gen.day(today - timedelta(days=150), today - timedelta(days=1))
        planned = gen.day(today + timedelta(days=14), today + timedelta(days=180))
        contract_start, contract_end = planned, planned + timedelta(days=730)
    else:
        registered = departed - timedelta(days=rng.randint(30, 120))
        planned = departed
        contract_start = departed
        contract_end = departed + timedelta(days=730)
    passport_issued = registered - timedelta(days=rng.randint(0, 400))
    values = {
        "person_id": person_id,
        "village_id": village.code,
        "scheme": scheme,
        "destination_country": country,
        "sector": "informal" if job in INFORMAL_JOBS else "formal",
        "job": job,
        "agency_name": agency,
        "agency_license": f"KEP.{rng.randint(100, 999)}/2023" if agency else "",
        "contract_start": contract_start.isoformat() if procedural is not False else None,
        "contract_end": contract_end.isoformat() if procedural is not False else None,
        "planned_departure": planned.isoformat(),
        "passport_number": f"X{rng.randint(1000000, 9999999)}",
        "passport_expiry": (passport_issued + timedelta(days=5 * 365)).isoformat(),
        "visa_expiry": contract_end.isoformat() if procedural else None,
        "status": status,
        "procedural": procedural,
        "departed_on": departed.isoformat() if departed else None,
        "returned_on": returned.isoformat() if returned else None,
    }
    placement_id = batch.ids["placement"]
    batch.ids["placement"] += 1
    base = {"placement_id": placement_id, "person_id": person_id, "village_id": village.code}

    def event(kind: str, on: date, **extra) -> None:
        batch.add("event", {**base, "kind": kind, "occurred_on": on.isoformat(), **extra})

    event("registered", registered)
    if departed:
        event("departed", departed)
        event("arrived", departed + timedelta(days=1))
        end = returned or today
        last_check = None
        for _ in range(rng.choice((0, 1, 2, 3, 4, 5))):
            on = gen.day(departed + timedelta(days=30), end)
            if on <= end and (last_check is None or on > last_check):
                result = "fine" if rng.random() < 0.9 else rng.choice(("problem", "no_contact"))
                event("check_in", on, check_in_result=result)
                last_check = on
        values["last_check_in_on"] = last_check.isoformat() if last_check else None
        if returned:
            reason = gen.reason(rng)
            values["return_reason"] = reason
            event("returned", returned, return_reason=reason)
    values["id"] = placement_id
    batch.rows["placement"].append(batch.tables["placement"].row(values))
    return placement_id


def synthetic_generate(
    *, people: int, seed: int = 1, area: str | None = None, today: date | None = None, log=None
) -> Totals:
    """Write `people` synthetic persons (with episodes, events, family) and rebuild counters."""
    today = today or timezone.localdate()
    now = timezone.now()
    villages, cum = _villages(area)
    if not villages:
        raise ValueError(f"No village lies in area {area!r}.")
    now_db = connection.ops.adapt_datetimefield_value(now)
    tables = {
        "person": _Table(Person, now_db),
        "placement": _Table(Placement, now_db),
        "event": _Table(PlacementEvent, now_db),
        "family": _Table(FamilyMember, now_db),
    }
    models_by_name = {name: t.model for name, t in tables.items()}
    gen = Generator(
        seed=seed,
        today=today,
        villages=villages,
        cum_weights=cum,
        taken_niks=set(Person.objects.values_list("nik", flat=True)),
    )
    gen.created = now_db
    totals = Totals()
    done = 0
    while done < people:
        size = min(BATCH, people - done)
        with transaction.atomic():
            ids = {name: _next_id(model) for name, model in models_by_name.items()}
            batch = Batch(tables, ids)
            for _ in range(size):
                _person(gen, batch)
            # Persons point at placements written after them: the foreign keys are deferred.
            for name in ("person", "placement", "event", "family"):
                _write(tables[name], batch.rows[name])
            audit_record(
                actor=None,
                action=Action.IMPORT,
                object_type="synthetic",
                object_repr=f"Synthetic persons {done + 1}–{done + size} (seed {seed})",
                area_code=area or "",
                changes={
                    "synthetic": True,
                    "seed": seed,
                    "persons": size,
                    "placements": len(batch.rows["placement"]),
                    "events": len(batch.rows["event"]),
                    "family_members": len(batch.rows["family"]),
                },
            )
        totals.persons += size
        totals.placements += len(batch.rows["placement"])
        totals.events += len(batch.rows["event"])
        totals.family += len(batch.rows["family"])
        done += size
        if log:
            log(f"{done} persons written")
    _reset_sequences(models_by_name.values())
    counters_rebuild()
    # Fresh statistics, or the planner still believes the tables are nearly empty.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return totals


def _reset_sequences(model_list: Iterable[type[models.Model]]) -> None:
    """Move PostgreSQL's id sequences past the ids written here (SQLite needs nothing)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_list))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
