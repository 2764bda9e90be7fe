"""Pages of a person that show or change their episodes: the person's record with their
episodes, the village head's verification, the merge of two records, the village letters.
Their URLs are the registry's (lindung/placements/registry_urls.py)."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lindung.accounts.models import Role
from lindung.audit.services import audit_view
from lindung.lib.editing import form_page
from lindung.lib.errors import ApplicationError
from lindung.lib.forms import add_service_error
from lindung.placements import person_services
from lindung.placements.destination import destination_name
from lindung.placements.models import Job
from lindung.placements.selectors import person_placements
from lindung.placements.services import placement_readiness
from lindung.registry import selectors
from lindung.registry.forms import LetterForm, MergeForm
from lindung.registry.models import LetterKind, MaritalStatus, Relation, Sex
from lindung.registry.rules import nik_review
from lindung.registry.views import editable_person_or_404, person_or_404


def _label(choices, value) -> str:
    return str(choices(value).label) if value in choices.values else (value or "")


def _date(value: str | None):
    return date.fromisoformat(value) if value else None


@login_required
def person_detail(request, pk):
    person = person_or_404(request.user, pk)
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
@require_POST
def person_verify(request, pk):
    person = person_or_404(request.user, pk)
    if request.user.role != Role.VILLAGE_HEAD:
        raise Http404
    try:
        person_services.person_verify(actor=request.user, person=person)
    except ApplicationError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("%(name)s is verified.") % {"name": person.full_name})
    if request.POST.get("next") == "queue":
        return redirect("registry:verification_queue")
    return redirect("registry:person_detail", pk=person.pk)


@login_required
def person_merge(request, pk):
    if not selectors.person_can_merge(user=request.user):
        raise Http404
    person = person_or_404(request.user, pk)
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
            person_services.person_merge(actor=request.user, keep=keep, duplicate=duplicate)
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
    person = editable_person_or_404(request.user, pk)
    if not request.user.is_village_user:
        raise Http404
    members = [
        m
        for m in selectors.person_family(person=person)
        if m.relation in (Relation.SPOUSE, Relation.PARENT, Relation.GUARDIAN)
    ]
    initial = {"kind": request.GET.get("kind", LetterKind.FAMILY_PERMISSION)}
    return form_page(
        request,
        LetterForm(request.POST or None, members=members, initial=initial),
        save=lambda d: person_services.letter_issue(
            actor=request.user, person=person, kind=d["kind"], family_member=d["family_member"]
        ),
        done=lambda letter: reverse("registry:letter_detail", args=[letter.pk]),
        message=lambda letter: _("Letter No. %(n)s is ready to print.") % {"n": letter.reference},
        template="registry/letter_form.html",
        context={"person": person, "members": members},
    )


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
