"""Drawing synthetic persons one after another, as the rows their tables get (the row layouts
below, in the order the generator appends each row's values). The shares are in
synthetic_shares.py; writing the rows is reports/synthetic.py's."""

from __future__ import annotations

import json
import random
from bisect import bisect
from dataclasses import dataclass
from datetime import date
from itertools import accumulate

from lindung.audit.models import Action
from lindung.cases import deadlines, need_to_know
from lindung.cases.models import URGENT_CATEGORIES, ActingLevel, StepKind
from lindung.cases.models import Status as CaseStatus
from lindung.cases.rules import party_key
from lindung.lib.names import name_key
from lindung.lib.nik import encode_nik
from lindung.placements.phase import return_date_of_person
from lindung.programs.models import Kind as ProgrammeKind
from lindung.reports.synthetic_shares import (
    AGENCIES,
    CASE_CATEGORIES,
    CASE_SHARE,
    CASE_VERIFIED_SHARE,
    CERTIFIED_DRAW,
    DESTINATIONS,
    EDUCATION,
    ENROLMENT_SHARE,
    FEMALE_NAMES,
    FEMALE_SHARE,
    INFORMAL_JOBS,
    MALE_NAMES,
    MARITAL,
    MOSTLY_FEMALE_JOBS,
    MOSTLY_MALE_JOBS,
    NON_PROCEDURAL_SHARE,
    PHASES,
    PROGRAMME_KINDS,
    QUOTA,
    RETURN_REASONS,
    SESSION_TOPICS,
    SINGLE_NAME_SHARE,
    TRAINED_BEFORE_DEPARTURE,
)


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


class _IsoDays(dict):
    """Day number (date.toordinal) → 'YYYY-MM-DD', each computed once."""

    def __missing__(self, day: int) -> str:
        text = self[day] = date.fromordinal(day).isoformat()
        return text


PERSON = (
    "id", "nik", "kk_number", "full_name", "name_key", "sex", "birth_place", "birth_date",
    "village_id", "rt", "rw", "education", "marital_status", "verified_at", "phase",
    "current_placement_id", "returned_on",
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
    "completed_on", "certificate_number", "certificate_scheme", "certificate_date",
)  # fmt: skip
SESSION = (
    "id", "held_on", "area_id", "organiser_kind", "organiser_name", "channel", "topics",
    "attendees_male", "attendees_female",
)  # fmt: skip


class Generator:
    """Draws one person after another from a seeded random source and appends their rows."""

    def __init__(self, *, seed: int, today: date, villages, cum_weights, taken_niks, tables, now):
        self.rng = random.Random(seed)
        self.today = today.toordinal()
        self.year_starts = today.replace(month=1, day=1).toordinal()
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
        # The programme each (regency, kind) enrols into now, and how many each one holds.
        self.programmes: dict[tuple, tuple[int, int]] = {}
        self.enrolled: dict[int, int] = {}
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

        current = None
        for i, episode in enumerate(self.episodes(phase)):
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
                self._returned_on(phase, current),
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
        if phase == "abroad" and person_id % TRAINED_BEFORE_DEPARTURE == 0:
            self.trained_before_departure(person_id, village, current)

    def _returned_on(self, phase: str, current: tuple | None) -> str | None:
        """The person's return date, by the rule the services apply."""
        kept = return_date_of_person(phase, current[2] if current else None)  # a day number
        return self.iso[kept] if kept else None

    def episodes(self, phase: str) -> list[tuple]:
        """A person's episodes in that phase, as (status, departed, returned) day numbers."""
        today, rand = self.today, self.rng.random
        episodes: list[tuple] = []
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
        return episodes

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
        return placement_id, departed, returned, country, agency, procedural, job

    def case(self, person_id: int, village: Village, current: tuple) -> None:
        """A complaint about the current episode, recorded by the regency (as case_create
        does), still received or verified."""
        rng, t, iso = self.rng, self.t, self.iso
        placement_id, departed, returned, country, agency = current[:5]
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
        rng, today = self.rng, self.today
        kinds = PROGRAMME_KINDS[phase]
        kind = kinds[int(rng.random() * len(kinds))]
        programme = self.programmes.get((village.regency, kind))
        if programme is None or self.enrolled[programme[0]] >= QUOTA:
            programme = self.programme(village.regency, kind)
        programme_id, starts = programme
        enrolled = starts - self.randint(1, 30)
        draw = rng.random()
        status = "completed" if draw < 0.6 else ("enrolled" if draw < 0.9 else "dropped")
        sessions = 4 if status == "completed" else self.randint(0, 3)
        completed = min(starts + 28, today) if status == "completed" else None
        # Three in four who complete a vocational training pass the competency test.
        certified = kind == "vocational_training" and draw < CERTIFIED_DRAW
        self.enrolment_row(
            programme_id, person_id, village, enrolled, status, sessions, completed, certified
        )

    def trained_before_departure(self, person_id: int, village: Village, current) -> None:
        """A worker placed procedurally in a formal job this year, trained and certified in
        their regency before departing: the persons the Quick Win counts. Chosen by id and
        dated from the departure, so no draw of the rest of the data changes."""
        departed, procedural, job = current[1], current[5], current[6]
        if not (procedural and job not in INFORMAL_JOBS and departed >= self.year_starts):
            return
        key = (village.regency, "vocational_training", "before_departure")
        programme = self.programmes.get(key)
        if programme is None or self.enrolled[programme[0]] >= QUOTA:
            # Ended before the year's first departure; another batch once one is full.
            programme = self.programme(
                village.regency, "vocational_training", starts=self.year_starts - 90
            )
            self.programmes[key] = programme
        programme_id, starts = programme
        self.enrolment_row(
            programme_id, person_id, village, starts - 7, "completed", 4, starts + 28, True
        )

    def enrolment_row(
        self, programme_id, person_id, village, enrolled, status, sessions, completed, certified
    ) -> None:
        iso, e = self.iso, self.t["enrolments"]
        enrolment_id = e.take_id()
        self.enrolled[programme_id] += 1
        e.rows.append(
            (enrolment_id, programme_id, person_id, village.code, iso[enrolled], status, sessions,
             iso[completed] if completed else None,
             f"SINT/{enrolment_id:07d}" if certified else "",
             "Sintetis" if certified else "",
             iso[completed] if certified else None) + e.tail
        )  # fmt: skip
        self.audit("programs.enrollment", enrolment_id, "", village.code, village.code)

    def programme(self, regency: str, kind: str, starts: int | None = None) -> tuple[int, int]:
        """A programme of the regency, for QUOTA participants: the newest of its kind takes
        the later enrolments until it is full (one given its start date is the caller's to
        keep)."""
        t, iso = self.t, self.iso
        given = starts is not None
        if not given:
            starts = self.day(self.today - 300, self.today - 30)
        p = t["programmes"]
        programme_id = p.take_id()
        title = f"{dict(ProgrammeKind.choices)[kind]} {regency}"
        group = '["returned"]' if kind.startswith("empowerment") else '["candidate"]'
        p.rows.append(
            (programme_id, title, kind, "disnaker", regency, iso[starts], iso[starts + 28], QUOTA,
             group, 4) + p.tail
        )  # fmt: skip
        self.audit("programs.program", programme_id, title, regency, regency)
        self.enrolled[programme_id] = 0
        if not given:
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
