"""Pages of the village registry: residents, recording and correcting a person, their family,
archiving, the verification queue. A person's page and what changes their episodes (verification,
merge, letters) are in lindung/placements/person_views.py."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from lindung.accounts.models import Role
from lindung.lib.editing import form_page
from lindung.lib.errors import ApplicationError
from lindung.lib.forms import add_service_error
from lindung.lib.keyset import keyset_page
from lindung.registry import selectors, services
from lindung.registry.forms import (
    ArchiveForm,
    FamilyMemberForm,
    PersonFilterForm,
    PersonForm,
)
from lindung.registry.nik_clash import nik_lookup_audit
from lindung.registry.rules import nik_review

PER_PAGE = 25
EXPORTS = [
    ("imports:export_people", _("Residents")),
    ("imports:export_placements", _("Departures and returns")),
]


def person_or_404(user, pk):
    person = selectors.person_get(user=user, pk=pk)
    if person is None:
        raise Http404
    return person


def editable_person_or_404(user, pk):
    person = person_or_404(user, pk)
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
        # A name or NIK typed in the search box leaves the panel of other filters shut: on a
        # phone its seven fields would push the answers below the fold.
        "filters_open": any(key != "q" for key in filters),
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
def person_edit(request, pk):
    person = editable_person_or_404(request.user, pk)
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
    person = editable_person_or_404(request.user, pk)
    if "again" in request.POST:
        done = reverse("registry:family_add", args=[person.pk])
    else:
        done = reverse("registry:person_detail", args=[person.pk]) + "#family"
    return form_page(
        request,
        FamilyMemberForm(request.POST or None),
        save=lambda d: services.family_member_add(actor=request.user, person=person, **d),
        done=lambda _member: done,
        message=lambda member: _("%(name)s added to the family.") % {"name": member.name},
        template="registry/family_form.html",
        context={"person": person},
    )


@login_required
def person_archive(request, pk):
    person = editable_person_or_404(request.user, pk)
    return form_page(
        request,
        ArchiveForm(request.POST or None),
        save=lambda d: services.person_archive(
            actor=request.user, person=person, reason=d["reason"]
        ),
        done=lambda _none: reverse("registry:person_detail", args=[person.pk]),
        message=_("The record is archived. It is kept, not deleted."),
        template="registry/person_archive.html",
        context={"person": person},
    )


@login_required
def verification_queue(request):
    if request.user.role != Role.VILLAGE_HEAD:
        raise Http404
    page = Paginator(selectors.verification_queue(user=request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "registry/verification_queue.html", {"page": page})
