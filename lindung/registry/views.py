"""Pages of the village registry: residents, a person's record, verification, merge, letters."""

from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lindung.accounts.models import Role
from lindung.audit.services import audit_view
from lindung.lib.errors import ApplicationError
from lindung.lib.forms import add_service_error
from lindung.lib.keyset import keyset_page
from lindung.placements.destination import destination_name
from lindung.placements.models import Job
from lindung.placements.selectors import person_placements
from lindung.placements.services import placement_readiness
from lindung.registry import selectors, services
from lindung.registry.forms import (
    ArchiveForm,
    FamilyMemberForm,
    LetterForm,
    MergeForm,
    PersonFilterForm,
    PersonForm,
)
from lindung.registry.models import LetterKind, MaritalStatus, Relation, Sex
from lindung.registry.nik_clash import nik_lookup_audit
from lindung.registry.rules import nik_review

PER_PAGE = 25
EXPORTS = [
    ("imports:export_people", _("Residents")),
    ("imports:export_placements", _("Departures and returns")),
]


def _label(choices, value) -> str:
    return str(choices(value).label) if value in choices.values else (value or "")


def _date(value: str | None):
    return date.fromisoformat(value) if value else None


def _person_or_404(user, pk):
    person = selectors.person_get(user=user, pk=pk)
    if person is None:
        raise Http404
    return person


def _editable_person_or_404(user, pk):
    person = _person_or_404(user, pk)
    if not selectors.person_can_edit(user=user, person=person):
        raise Http404
    return person


def _export_links(query: str) -> list[dict]:
    links = []
    for url_name, label in EXPORTS:
        try:
            base = reverse(url_name)
        except NoReverseMatch:
            continue
        for fmt in ("xlsx", "csv"):
            params = f"format={fmt}" + (f"&{query}" if query else "")
            links.append({"url": f"{base}?{params}", "label": label, "format": fmt.upper()})
    return links


@login_required
def person_list(request):
    villages = selectors.filter_villages(user=request.user)
    form = PersonFilterForm(request.GET or None, villages=villages, user=request.user)
    filters = form.filters()
    # Pages go on from the last name shown; the count stops at 1,000 ("more than 1,000"):
    # the list's first view costs the same for a village and for the nation.
    page = keyset_page(
        selectors.person_list(user=request.user, filters=filters),
        order=selectors.PERSON_ORDER,
        after=request.GET.get("after"),
        size=PER_PAGE,
    )
    query = urlencode(filters)
    context = {
        "form": form,
        "page": page,
        "query": query,
        "filtered": bool(filters),
        "exports": _export_links(query),
        "can_create": selectors.person_can_edit(user=request.user),
    }
    return render(request, "registry/person_list.html", context)


def _person_values(form, villages_by_code) -> dict:
    data = dict(form.cleaned_data)
    data["village"] = villages_by_code.get(data["village"])
    for key in ("plan_abroad", "confirm_new"):
        data.pop(key, None)
    return data


def _warn_nik(request, person) -> None:
    for warning in nik_review(person.nik, birth_date=person.birth_date, sex=person.sex).warnings:
        messages.warning(request, warning)


@login_required
def person_create(request):
    if not selectors.person_can_edit(user=request.user):
        raise Http404
    villages = selectors.recordable_villages(user=request.user)
    by_code = {v.code: v for v in villages}
    form = PersonForm(request.POST or None, villages=villages)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        data = _person_values(form, by_code)
        plan_abroad = form.cleaned_data["plan_abroad"]
        if not form.cleaned_data["confirm_new"]:
            duplicates = selectors.person_duplicates(
                user=request.user,
                full_name=data["full_name"],
                birth_date=data["birth_date"],
                village_code=data["village"].code if data["village"] else "",
                kk_number=data["kk_number"],
            )
        if duplicates:
            # Second step: the operator looks at the likely duplicates before saving.
            form.data = form.data.copy()
            form.data["confirm_new"] = "1"
        else:
            try:
                person = services.person_create(actor=request.user, **data)
            except ApplicationError as error:
                nik_lookup_audit(actor=request.user, error=error)
                add_service_error(form, error)
            else:
                messages.success(request, _("%(name)s is registered.") % {"name": person.full_name})
                _warn_nik(request, person)
                if plan_abroad:
                    return redirect("placements:placement_create", person_pk=person.pk)
                return redirect("registry:person_detail", pk=person.pk)
    context = {"form": form, "duplicates": duplicates, "creating": True}
    return render(request, "registry/person_form.html", context)


@login_required
def person_detail(request, pk):
    person = _person_or_404(request.user, pk)
    audit_view(actor=request.user, obj=person, area_code=person.village_id)
    user = request.user
    can_edit = selectors.person_can_edit(user=user, person=person)
    placements = person_placements(person=person)
    episodes = [
        {
            "placement": p,
            "country": destination_name(p.destination_country),
            "readiness": placement_readiness(p) if p.status == "planned" else None,
        }
        for p in placements
    ]
    duplicates = []
    if not person.is_archived:
        duplicates = selectors.person_duplicates(
            user=user,
            full_name=person.full_name,
            birth_date=person.birth_date,
            village_code=person.village_id,
            kk_number=person.kk_number,
            exclude_pk=person.pk,
        )
    context = {
        "person": person,
        "review": nik_review(person.nik, birth_date=person.birth_date, sex=person.sex),
        "family": selectors.person_family(person=person),
        "episodes": episodes,
        "open_episode": next(
            (e for e in episodes if e["placement"].status in ("planned", "abroad")), None
        ),
        "letters": selectors.person_letters(person=person),
        "timeline": selectors.person_timeline_all(user=user, person=person),
        "duplicates": duplicates,
        "can_edit": can_edit,
        "can_verify": (
            user.role == Role.VILLAGE_HEAD
            and person.verified_at is None
            and not person.is_archived
            and person.village_id == user.jurisdiction_id
        ),
        "can_merge": selectors.person_can_merge(user=user) and not person.is_archived,
        "can_issue_letters": can_edit and user.is_village_user,
    }
    return render(request, "registry/person_detail.html", context)


@login_required
def person_edit(request, pk):
    person = _editable_person_or_404(request.user, pk)
    villages = selectors.recordable_villages(user=request.user)
    if person.village not in villages:
        villages = [person.village, *villages]
    by_code = {v.code: v for v in villages}
    initial = {
        name: getattr(person, name)
        for name in services.PERSON_FIELDS
        if name not in ("village", "legal_basis")
    }
    initial.update(village=person.village_id, contact_consent=person.contact_consent_at is not None)
    form = PersonForm(request.POST or None, initial=initial, villages=villages, creating=False)
    if request.method == "POST" and form.is_valid():
        data = _person_values(form, by_code)
        try:
            changes = services.person_update(actor=request.user, person=person, data=data)
        except ApplicationError as error:
            nik_lookup_audit(actor=request.user, error=error)
            add_service_error(form, error)
        else:
            messages.success(request, _("Changes saved.") if changes else _("Nothing changed."))
            _warn_nik(request, person)
            return redirect("registry:person_detail", pk=person.pk)
    return render(
        request, "registry/person_form.html", {"form": form, "person": person, "creating": False}
    )


@login_required
def family_add(request, pk):
    person = _editable_person_or_404(request.user, pk)
    form = FamilyMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.family_member_add(
                actor=request.user, person=person, **form.cleaned_data
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("%(name)s added to the family.") % {"name": member.name})
            if "again" in request.POST:
                return redirect("registry:family_add", pk=person.pk)
            return redirect(reverse("registry:person_detail", args=[person.pk]) + "#family")
    return render(request, "registry/family_form.html", {"form": form, "person": person})


@login_required
def person_archive(request, pk):
    person = _editable_person_or_404(request.user, pk)
    form = ArchiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_archive(
                actor=request.user, person=person, reason=form.cleaned_data["reason"]
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The record is archived. It is kept, not deleted."))
            return redirect("registry:person_detail", pk=person.pk)
    return render(request, "registry/person_archive.html", {"form": form, "person": person})


@login_required
@require_POST
def person_verify(request, pk):
    person = _person_or_404(request.user, pk)
    if request.user.role != Role.VILLAGE_HEAD:
        raise Http404
    try:
        services.person_verify(actor=request.user, person=person)
    except ApplicationError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("%(name)s is verified.") % {"name": person.full_name})
    if request.POST.get("next") == "queue":
        return redirect("registry:verification_queue")
    return redirect("registry:person_detail", pk=person.pk)


@login_required
def verification_queue(request):
    if request.user.role != Role.VILLAGE_HEAD:
        raise Http404
    page = Paginator(selectors.verification_queue(user=request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "registry/verification_queue.html", {"page": page})


@login_required
def person_merge(request, pk):
    if not selectors.person_can_merge(user=request.user):
        raise Http404
    person = _person_or_404(request.user, pk)
    if person.is_archived:
        raise Http404
    candidates = selectors.person_duplicates(
        user=request.user,
        full_name=person.full_name,
        birth_date=person.birth_date,
        village_code=person.village_id,
        kk_number=person.kk_number,
        exclude_pk=person.pk,
    )
    nik = request.GET.get("nik", "").strip()
    if nik:
        found = selectors.person_by_nik(user=request.user, nik=nik)
        if found is not None and found.pk != person.pk and not found.is_archived:
            candidates = [found] + [c for c in candidates if c.pk != found.pk]
        else:
            messages.warning(request, _("No other active record with this NIK in your area."))
    form = MergeForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        other = next(c for c in candidates if str(c.pk) == form.cleaned_data["other"])
        keep, duplicate = (
            (person, other) if form.cleaned_data["keep"] == "this" else (other, person)
        )
        try:
            services.person_merge(actor=request.user, keep=keep, duplicate=duplicate)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Merged: %(duplicate)s (NIK %(nik)s) is now part of this record.")
                % {"duplicate": duplicate.full_name, "nik": duplicate.nik},
            )
            return redirect("registry:person_detail", pk=keep.pk)
    context = {"form": form, "person": person, "candidates": candidates, "nik": nik}
    return render(request, "registry/person_merge.html", context)


@login_required
def letter_create(request, pk):
    person = _editable_person_or_404(request.user, pk)
    if not request.user.is_village_user:
        raise Http404
    members = [
        m
        for m in selectors.person_family(person=person)
        if m.relation in (Relation.SPOUSE, Relation.PARENT, Relation.GUARDIAN)
    ]
    initial = {"kind": request.GET.get("kind", LetterKind.FAMILY_PERMISSION)}
    form = LetterForm(request.POST or None, members=members, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            letter = services.letter_issue(
                actor=request.user,
                person=person,
                kind=form.cleaned_data["kind"],
                family_member=form.cleaned_data["family_member"],
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("Letter No. %(n)s is ready to print.") % {"n": letter.reference}
            )
            return redirect("registry:letter_detail", pk=letter.pk)
    context = {"form": form, "person": person, "members": members}
    return render(request, "registry/letter_form.html", context)


@login_required
def letter_detail(request, pk):
    letter = selectors.letter_get(user=request.user, pk=pk)
    if letter is None:
        raise Http404
    audit_view(actor=request.user, obj=letter, area_code=letter.village_id)
    d = dict(letter.data)
    # The letter is an official document: printed in Bahasa Indonesia whatever the UI language.
    with translation.override("id"):
        d["job"] = d.get("job_title") or _label(Job, d.get("job"))
        context = {
            "letter": letter,
            "village": letter.village,
            "district": letter.village.parent,
            "regency": letter.village.parent.parent,
            "d": d,
            "birth_date": _date(d.get("birth_date")),
            "member_birth_date": _date(d.get("member_birth_date")),
            "sex": _label(Sex, d.get("sex")),
            "marital": _label(MaritalStatus, d.get("marital_status")),
            "relation": _label(Relation, d.get("member_relation")),
            "country": destination_name(d.get("destination_country", "")),
        }
    return render(request, "registry/letter_print.html", context)
