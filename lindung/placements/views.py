"""Pages of a migration episode: open it, its checklist, and each dated step."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lindung.lib.editing import form_page
from lindung.lib.errors import ApplicationError
from lindung.lib.forms import add_service_error
from lindung.placements import selectors, services
from lindung.placements.destination import destination_name
from lindung.placements.forms import (
    NON_PROCEDURAL_MEANING,
    CheckForm,
    CheckInForm,
    DepartForm,
    EventForm,
    ExtendForm,
    NewDepartureForm,
    PlacementForm,
    ProceduralForm,
    ReturnForm,
)
from lindung.placements.models import EventKind, ReadinessItem, Status
from lindung.placements.readiness import MINIMUM_AGE, age_on, readiness_evaluate
from lindung.registry.selectors import person_can_edit, person_get


@dataclass(frozen=True)
class Action:
    kind: str  # the event it records (services.EVENT_EFFECTS)
    status: str  # the episode status in which the step is offered ("" for any)
    form: type
    title: str
    done: str  # the message after saving


# The URL of each step names it in Bahasa Indonesia (/penempatan/7/berangkat/); the English
# slugs of earlier releases redirect, so bookmarks and printed links keep working.
ACTIONS = {
    "berangkat": Action(
        EventKind.DEPARTED,
        Status.PLANNED,
        DepartForm,
        gettext_lazy("Record departure"),
        gettext_lazy("Departure recorded."),
    ),
    "pelatihan": Action(
        EventKind.TRAINING_COMPLETED,
        Status.PLANNED,
        EventForm,
        gettext_lazy("Record a completed training"),
        gettext_lazy("Training recorded."),
    ),
    "batal": Action(
        EventKind.CANCELLED,
        Status.PLANNED,
        EventForm,
        gettext_lazy("Record that the person did not depart"),
        gettext_lazy("Recorded: the person did not depart."),
    ),
    "tiba": Action(
        EventKind.ARRIVED,
        Status.ABROAD,
        EventForm,
        gettext_lazy("Record arrival"),
        gettext_lazy("Arrival recorded."),
    ),
    "pemantauan": Action(
        EventKind.CHECK_IN,
        Status.ABROAD,
        CheckInForm,
        gettext_lazy("Family check-in"),
        gettext_lazy("Check-in recorded."),
    ),
    "masalah": Action(
        EventKind.PROBLEM_REPORTED,
        Status.ABROAD,
        EventForm,
        gettext_lazy("Report a problem"),
        gettext_lazy("Problem recorded. Tell the Disnaker if the worker needs help."),
    ),
    "perpanjang": Action(
        EventKind.CONTRACT_EXTENDED,
        Status.ABROAD,
        ExtendForm,
        gettext_lazy("Record a contract extension"),
        gettext_lazy("Contract extension recorded."),
    ),
    "pulang": Action(
        EventKind.RETURNED,
        Status.ABROAD,
        ReturnForm,
        gettext_lazy("Record return"),
        gettext_lazy("Return recorded. Welcome home!"),
    ),
    "meninggal": Action(
        EventKind.DIED,
        "",
        EventForm,
        gettext_lazy("Record a death"),
        gettext_lazy("The death is recorded."),
    ),
}


OLD_SLUGS = {
    "depart": "berangkat",
    "training": "pelatihan",
    "cancel": "batal",
    "arrive": "tiba",
    "check-in": "pemantauan",
    "problem": "masalah",
    "extend": "perpanjang",
    "return": "pulang",
    "die": "meninggal",
}


def _detail_url(placement) -> str:
    return reverse("placements:placement_detail", args=[placement.pk])


def _episode_context(placement) -> dict:
    """What every page of one episode shows above its own part: the episode, its person and
    the destination's name."""
    return {
        "placement": placement,
        "person": placement.person,
        "country": destination_name(placement.destination_country),
    }


def _placement_or_404(user, pk, *, edit=False):
    placement = selectors.placement_get(user=user, pk=pk)
    if placement is None or (edit and not person_can_edit(user=user, person=placement.person)):
        raise Http404
    return placement


@login_required
def placement_create(request, person_pk):
    person = person_get(user=request.user, pk=person_pk)
    if person is None or not person_can_edit(user=request.user, person=person):
        raise Http404
    return form_page(
        request,
        PlacementForm(request.POST or None),
        save=lambda d: services.placement_create(actor=request.user, person=person, **d),
        done=_detail_url,
        message=_("%(name)s is now a calon PMI. Tick the documents as they are completed.")
        % {"name": person.full_name},
        template="placements/placement_form.html",
        context={"person": person, "new": True},
    )


@login_required
def placement_edit(request, pk):
    placement = _placement_or_404(request.user, pk, edit=True)
    initial = {name: getattr(placement, name) for name in services.DETAIL_FIELDS}
    return form_page(
        request,
        PlacementForm(request.POST or None, initial=initial),
        save=lambda d: services.placement_update(
            actor=request.user,
            placement=placement,
            data={k: v for k, v in d.items() if v != initial.get(k)},
        ),
        done=lambda _changes: _detail_url(placement),
        message=lambda changes: _("Changes saved.") if changes else _("Nothing changed."),
        template="placements/placement_form.html",
        context={"person": placement.person, "placement": placement, "new": False},
    )


@login_required
def placement_detail(request, pk):
    placement = _placement_or_404(request.user, pk)
    today = timezone.localdate()
    checks = {c.item: c for c in placement.checks.select_related("checked_by")}
    readiness = None
    if placement.status == Status.PLANNED:
        readiness = readiness_evaluate(
            birth_date=placement.person.birth_date,
            planned_departure=placement.planned_departure,
            checked=checks,
            today=today,
        )
    can_edit = person_can_edit(user=request.user, person=placement.person)
    checklist = [
        {"item": item, "label": label, "check": checks.get(item)}
        for item, label in ReadinessItem.choices
    ]
    actions = [
        (slug, action.title)
        for slug, action in ACTIONS.items()
        if action.status == placement.status and slug != "berangkat"
    ]
    context = {
        **_episode_context(placement),
        "readiness": readiness,
        "checklist": checklist,
        "events": selectors.placement_events(user=request.user, placement=placement),
        "alerts": selectors.placement_alerts(placement=placement, today=today),
        "can_edit": can_edit,
        "can_correct_procedural": placement.departed_on is not None
        and request.user.role in services.PROCEDURAL_SUPERVISOR_ROLES,
        "actions": actions,
        "today": today,
    }
    return render(request, "placements/placement_detail.html", context)


@login_required
@require_POST
def placement_check(request, pk):
    placement = _placement_or_404(request.user, pk, edit=True)
    form = CheckForm(request.POST)
    if form.is_valid():
        try:
            services.placement_check(actor=request.user, placement=placement, **form.cleaned_data)
        except ApplicationError as error:
            messages.error(request, str(error.message))
        else:
            label = ReadinessItem(form.cleaned_data["item"]).label
            messages.success(request, _("Checked: %(item)s.") % {"item": label})
    else:
        messages.error(request, _("Give a valid date (not in the future)."))
    return redirect(reverse("placements:placement_detail", args=[placement.pk]) + "#checklist")


def _departure_confirmed(request, form, readiness) -> bool:
    """A departure with an incomplete checklist is saved only from the button that says it
    will be recorded as non-procedural (the form shows what that means)."""
    if readiness is None or readiness.procedural:
        return True
    if request.POST.get("confirm") == "non-procedural":
        return True
    form.add_error(None, _("Confirm that the departure is recorded as non-procedural."))
    return False


@login_required
def placement_event(request, pk, action):
    if action in OLD_SLUGS:
        return redirect("placements:placement_event", pk=pk, action=OLD_SLUGS[action])
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    placement = _placement_or_404(request.user, pk, edit=True)
    readiness = None
    if action == "berangkat":
        occurred_on = timezone.localdate()
        readiness = readiness_evaluate(
            birth_date=placement.person.birth_date,
            planned_departure=occurred_on,
            checked=[c.item for c in placement.checks.all()],
            today=occurred_on,
        )
    form = spec.form(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and (action != "berangkat" or _departure_confirmed(request, form, readiness))
    ):
        try:
            services.placement_event_record(
                actor=request.user, placement=placement, kind=spec.kind, **form.cleaned_data
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            placement.refresh_from_db()
            messages.success(request, str(spec.done))
            if action == "berangkat" and placement.procedural is False:
                messages.warning(
                    request,
                    _(
                        "The departure is recorded as NON-PROCEDURAL because the checklist was "
                        "not complete. Documents can no longer be ticked for this episode."
                    ),
                )
            return redirect("registry:person_detail", pk=placement.person_id)
    context = {
        **_episode_context(placement),
        "form": form,
        "title": spec.title,
        "action": action,
        "readiness": readiness,
        "meaning": NON_PROCEDURAL_MEANING,
        "wrong_status": spec.status and spec.status != placement.status,
    }
    return render(request, "placements/event_form.html", context)


@login_required
def placement_depart_new(request, person_pk):
    """Record a departure for someone with no open episode: the episode is opened in the same
    form (a departure the village learns of without a planned episode)."""
    person = person_get(user=request.user, pk=person_pk)
    if person is None or not person_can_edit(user=request.user, person=person):
        raise Http404
    open_episode = selectors.person_open_placement(person=person)
    if open_episode is not None:
        return redirect("placements:placement_event", pk=open_episode.pk, action="berangkat")
    form = NewDepartureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if request.POST.get("confirm") != "non-procedural":
            form.add_error(None, _("Confirm that the departure is recorded as non-procedural."))
        else:
            data = form.cleaned_data
            try:
                services.placement_create_departed(
                    actor=request.user,
                    person=person,
                    departed_on=data["occurred_on"],
                    destination_country=data["destination_country"],
                    job=data["job"],
                    agency_name=data["agency_name"],
                    sector=data["sector"],
                    scheme=data["scheme"],
                    note=data["note"],
                    blocked_reason=data["blocked_reason"],
                )
            except ApplicationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Departure recorded."))
                messages.warning(
                    request,
                    _(
                        "The departure is recorded as NON-PROCEDURAL: no checklist was kept "
                        "before it."
                    ),
                )
                return redirect("registry:person_detail", pk=person.pk)
    under_age = age_on(person.birth_date, timezone.localdate()) < MINIMUM_AGE
    context = {
        "person": person,
        "form": form,
        "meaning": NON_PROCEDURAL_MEANING,
        "under_age": under_age,
    }
    return render(request, "placements/depart_new_form.html", context)


@login_required
def placement_procedural(request, pk):
    """The Disnaker corrects whether a departure was procedural, with a reason (audited)."""
    if request.user.role not in services.PROCEDURAL_SUPERVISOR_ROLES:
        raise Http404
    placement = _placement_or_404(request.user, pk)
    if placement.departed_on is None:
        raise Http404
    initial = {"procedural": "no" if placement.procedural else "yes"}
    return form_page(
        request,
        ProceduralForm(request.POST or None, initial=initial),
        save=lambda d: services.placement_correct_procedural(
            actor=request.user,
            placement=placement,
            procedural=d["procedural"] == "yes",
            reason=d["reason"],
        ),
        done=lambda _placement: _detail_url(placement),
        message=_("Correction saved; the reason is in the audit trail."),
        template="placements/procedural_form.html",
        context=_episode_context(placement),
    )
