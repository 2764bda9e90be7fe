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

from lindung.lib.errors import ApplicationError
from lindung.lib.forms import add_service_error
from lindung.placements import selectors, services
from lindung.placements.forms import (
    CheckForm,
    CheckInForm,
    DepartForm,
    EventForm,
    ExtendForm,
    PlacementForm,
    ReturnForm,
)
from lindung.placements.models import ReadinessItem, Status
from lindung.placements.readiness import readiness_evaluate
from lindung.registry.selectors import person_can_edit, person_get


@dataclass(frozen=True)
class Action:
    title: str
    form: type
    status: str  # the episode status in which the step can be recorded
    done: str  # the message after saving
    call: object  # (actor, placement, cleaned_data) -> event


def _depart(actor, placement, data):
    return services.placement_depart(
        actor=actor,
        placement=placement,
        departed_on=data["occurred_on"],
        note=data["note"],
        blocked_reason=data["blocked_reason"],
    )


ACTIONS = {
    "depart": Action(
        gettext_lazy("Record departure"),
        DepartForm,
        Status.PLANNED,
        gettext_lazy("Departure recorded."),
        _depart,
    ),
    "training": Action(
        gettext_lazy("Record a completed training"),
        EventForm,
        Status.PLANNED,
        gettext_lazy("Training recorded."),
        lambda actor, p, d: services.placement_training_completed(
            actor=actor, placement=p, occurred_on=d["occurred_on"], note=d["note"]
        ),
    ),
    "cancel": Action(
        gettext_lazy("Record that the person did not depart"),
        EventForm,
        Status.PLANNED,
        gettext_lazy("Recorded: the person did not depart."),
        lambda actor, p, d: services.placement_cancel(
            actor=actor, placement=p, occurred_on=d["occurred_on"], note=d["note"]
        ),
    ),
    "arrive": Action(
        gettext_lazy("Record arrival"),
        EventForm,
        Status.ABROAD,
        gettext_lazy("Arrival recorded."),
        lambda actor, p, d: services.placement_arrive(
            actor=actor, placement=p, occurred_on=d["occurred_on"], note=d["note"]
        ),
    ),
    "check-in": Action(
        gettext_lazy("Family check-in"),
        CheckInForm,
        Status.ABROAD,
        gettext_lazy("Check-in recorded."),
        lambda actor, p, d: services.placement_check_in(
            actor=actor,
            placement=p,
            occurred_on=d["occurred_on"],
            result=d["result"],
            note=d["note"],
        ),
    ),
    "problem": Action(
        gettext_lazy("Report a problem"),
        EventForm,
        Status.ABROAD,
        gettext_lazy("Problem recorded. Tell the Disnaker if the worker needs help."),
        lambda actor, p, d: services.placement_report_problem(
            actor=actor, placement=p, occurred_on=d["occurred_on"], note=d["note"]
        ),
    ),
    "extend": Action(
        gettext_lazy("Record a contract extension"),
        ExtendForm,
        Status.ABROAD,
        gettext_lazy("Contract extension recorded."),
        lambda actor, p, d: services.placement_extend(
            actor=actor,
            placement=p,
            occurred_on=d["occurred_on"],
            contract_end=d["contract_end"],
            note=d["note"],
        ),
    ),
    "return": Action(
        gettext_lazy("Record return"),
        ReturnForm,
        Status.ABROAD,
        gettext_lazy("Return recorded. Welcome home!"),
        lambda actor, p, d: services.placement_return(
            actor=actor,
            placement=p,
            returned_on=d["occurred_on"],
            reason=d["reason"],
            note=d["note"],
        ),
    ),
    "die": Action(
        gettext_lazy("Record a death"),
        EventForm,
        "",
        gettext_lazy("The death is recorded."),
        lambda actor, p, d: services.placement_die(
            actor=actor, placement=p, occurred_on=d["occurred_on"], note=d["note"]
        ),
    ),
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
    form = PlacementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            placement = services.placement_create(
                actor=request.user, person=person, **form.cleaned_data
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is now a calon PMI. Tick the documents as they are completed.")
                % {"name": person.full_name},
            )
            return redirect("placements:placement_detail", pk=placement.pk)
    return render(
        request, "placements/placement_form.html", {"form": form, "person": person, "new": True}
    )


@login_required
def placement_edit(request, pk):
    placement = _placement_or_404(request.user, pk, edit=True)
    initial = {name: getattr(placement, name) for name in services.DETAIL_FIELDS}
    form = PlacementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v != initial.get(k)}
        try:
            changes = services.placement_update(actor=request.user, placement=placement, data=data)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Changes saved.") if changes else _("Nothing changed."))
            return redirect("placements:placement_detail", pk=placement.pk)
    context = {"form": form, "person": placement.person, "placement": placement, "new": False}
    return render(request, "placements/placement_form.html", context)


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
        if action.status == placement.status and slug not in ("depart",)
    ]
    context = {
        "placement": placement,
        "person": placement.person,
        "country": selectors.country_name(placement.destination_country),
        "readiness": readiness,
        "checklist": checklist,
        "events": selectors.placement_events(user=request.user, placement=placement),
        "alerts": selectors.placement_alerts(placement=placement, today=today),
        "can_edit": can_edit,
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


@login_required
def placement_event(request, pk, action):
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    placement = _placement_or_404(request.user, pk, edit=True)
    form = spec.form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            spec.call(request.user, placement, form.cleaned_data)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            placement.refresh_from_db()
            messages.success(request, str(spec.done))
            if action == "depart" and placement.procedural is False:
                messages.warning(
                    request,
                    _(
                        "The departure is recorded as NON-PROCEDURAL because the checklist was "
                        "not complete. Documents can no longer be ticked for this episode."
                    ),
                )
            return redirect("registry:person_detail", pk=placement.person_id)
    readiness = None
    if action == "depart":
        readiness = readiness_evaluate(
            birth_date=placement.person.birth_date,
            planned_departure=timezone.localdate(),
            checked=[c.item for c in placement.checks.all()],
            today=timezone.localdate(),
        )
    context = {
        "placement": placement,
        "person": placement.person,
        "country": selectors.country_name(placement.destination_country),
        "form": form,
        "title": spec.title,
        "action": action,
        "readiness": readiness,
        "wrong_status": spec.status and spec.status != placement.status,
    }
    return render(request, "placements/event_form.html", context)
