from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lindung.accounts.areas import area_get
from lindung.accounts.scoping import code_in_scope, code_q, user_area_code
from lindung.lib.editing import (
    current_values,
    form_page,
    form_save,
    list_page,
    or_404,
    service_data,
)
from lindung.lib.errors import ApplicationError
from lindung.programs import selectors, services
from lindung.programs.eligibility import hint_text
from lindung.programs.forms import (
    AttendanceForm,
    CompletionForm,
    EnrollForm,
    OutcomeForm,
    ProgramFilterForm,
    ProgramForm,
    QuickWinTargetForm,
)
from lindung.regions.models import Level, level_of_code
from lindung.registry.selectors import person_get


def _require_manager(user):
    if not services.can_manage_programs(user):
        raise Http404


@login_required
def program_list(request):
    context = {
        **list_page(
            request,
            ProgramFilterForm,
            selectors.program_list,
            per_page=30,
            order=("-starts_on", "-id"),
        ),
        "can_manage": services.can_manage_programs(request.user),
    }
    return render(request, "programs/program_list.html", context)


PROGRAM_TEXTS = ("organiser_name", "competency_scheme", "description")


def _detail_url(program) -> str:
    return reverse("programs:program_detail", args=[program.pk])


@login_required
def program_create(request):
    _require_manager(request.user)
    initial = {"area": user_area_code(request.user) or ""}
    return form_page(
        request,
        ProgramForm(request.POST or None, initial=initial),
        save=lambda d: services.program_create(
            actor=request.user, **service_data(d, *PROGRAM_TEXTS)
        ),
        done=_detail_url,
        message=_("Programme created."),
        template="programs/program_form.html",
    )


@login_required
def program_edit(request, pk):
    program = or_404(selectors.program_get(user=request.user, pk=pk))
    if not services.can_manage_programs(request.user) or not code_in_scope(
        request.user, program.area_id
    ):
        raise Http404
    covered = " ".join(a.code for a in program.covered_areas.all())
    initial = current_values(program, ProgramForm.base_fields, covered_areas=covered)
    return form_page(
        request,
        ProgramForm(request.POST or None, initial=initial),
        save=lambda d: services.program_update(
            actor=request.user, program=program, data=service_data(d, *PROGRAM_TEXTS)
        ),
        done=lambda _changes: _detail_url(program),
        message=_("Changes saved."),
        quiet_if_unchanged=True,
        template="programs/program_form.html",
        context={"program": program},
    )


@login_required
def program_detail(request, pk):
    program = or_404(selectors.program_get(user=request.user, pk=pk))
    enrollments = selectors.enrollment_list(user=request.user, program=program)
    can_manage = services.can_manage_programs(request.user)
    context = {
        "program": program,
        "enrollments": enrollments,
        "can_manage": can_manage,
        "can_edit": can_manage and code_in_scope(request.user, program.area_id),
    }
    return render(request, "programs/program_detail.html", context)


@login_required
def program_enroll(request, pk):
    """Find a registered person of the user's area and enrol them, after seeing the hints."""
    program = or_404(selectors.program_get(user=request.user, pk=pk))
    _require_manager(request.user)
    if request.method == "POST":
        form = EnrollForm(request.POST)
        person = None
        if form.is_valid():
            person = person_get(user=request.user, pk=form.cleaned_data["person"])
        if person is None:
            raise Http404
        try:
            enrollment = services.enrollment_create(
                actor=request.user,
                program=program,
                person=person,
                accept_hints=form.cleaned_data["accept_hints"],
            )
        except ApplicationError as error:
            messages.error(request, str(error.message))
            return redirect(f"{request.path}?q={person.nik}")
        messages.success(request, _("%(name)s is now a participant.") % {"name": person.full_name})
        return redirect("programs:enrollment_detail", pk=enrollment.pk)
    query = request.GET.get("q", "").strip()[:80]
    candidates = []
    enrolled = set(
        program.enrollments.filter(archived_at__isnull=True).values_list("person_id", flat=True)
    )
    for person in selectors.candidate_search(user=request.user, query=query):
        hints = services.enrollment_hints(program=program, person=person)
        covered = services.program_covers(program, person.village_id)
        candidates.append(
            {
                "person": person,
                "hints": [hint_text(h) for h in hints],
                "covered": covered,
                "enrolled": person.pk in enrolled,
            }
        )
    context = {"program": program, "query": query, "candidates": candidates}
    return render(request, "programs/program_enroll.html", context)


def _enrollment_context(request, enrollment) -> dict:
    can_manage = services.can_manage_programs(request.user)
    return {
        "enrollment": enrollment,
        "program": enrollment.program,
        "outcomes": selectors.enrollment_outcomes(enrollment=enrollment),
        "can_manage": can_manage and not enrollment.is_archived,
        "attendance_form": AttendanceForm(
            initial={"sessions_attended": enrollment.sessions_attended}
        ),
        "completion_form": CompletionForm(
            initial={
                "completed_on": enrollment.completed_on or timezone.localdate(),
                "certificate_number": enrollment.certificate_number,
                "certificate_scheme": enrollment.certificate_scheme
                or enrollment.program.competency_scheme,
                "certificate_date": enrollment.certificate_date,
            },
            prefix="c",
        ),
        "outcome_form": OutcomeForm(initial={"observed_on": timezone.localdate()}, prefix="o"),
    }


@login_required
def enrollment_detail(request, pk):
    enrollment = or_404(selectors.enrollment_get(user=request.user, pk=pk))
    context = _enrollment_context(request, enrollment)
    return render(request, "programs/enrollment_detail.html", context)


def _enrollment_action(request, pk, form_class, key, call):
    """Run one write on a participant from a posted form, re-showing the page on errors."""
    enrollment = or_404(selectors.enrollment_get(user=request.user, pk=pk))
    _require_manager(request.user)
    prefix = {"completion_form": "c", "outcome_form": "o"}.get(key)
    form = form_class(request.POST, prefix=prefix)
    saved = form_save(
        request,
        form,
        save=lambda d: call(enrollment, d),
        done=lambda _result: reverse("programs:enrollment_detail", args=[enrollment.pk]),
        message=_("Saved."),
    )
    if saved is not None:
        return saved
    context = _enrollment_context(request, enrollment)
    context[key] = form
    return render(request, "programs/enrollment_detail.html", context, status=400)


@login_required
@require_POST
def enrollment_attendance(request, pk):
    return _enrollment_action(
        request,
        pk,
        AttendanceForm,
        "attendance_form",
        lambda e, d: services.enrollment_record_attendance(
            actor=request.user, enrollment=e, sessions_attended=d["sessions_attended"]
        ),
    )


@login_required
@require_POST
def enrollment_complete(request, pk):
    return _enrollment_action(
        request,
        pk,
        CompletionForm,
        "completion_form",
        lambda e, d: services.enrollment_complete(actor=request.user, enrollment=e, **d),
    )


@login_required
@require_POST
def enrollment_drop(request, pk):
    enrollment = or_404(selectors.enrollment_get(user=request.user, pk=pk))
    _require_manager(request.user)
    try:
        services.enrollment_drop(actor=request.user, enrollment=enrollment)
    except ApplicationError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Recorded as dropped out."))
    return redirect("programs:enrollment_detail", pk=enrollment.pk)


@login_required
@require_POST
def outcome_add(request, pk):
    return _enrollment_action(
        request,
        pk,
        OutcomeForm,
        "outcome_form",
        lambda e, d: services.outcome_record(actor=request.user, enrollment=e, **d),
    )


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


@login_required
def quickwin(request):
    year = _year(request)
    area = None
    code = request.GET.get("area", "").strip()
    if code:
        area = area_get(user=request.user, code=code)
        if area is None:
            raise Http404
    levels = selectors.quickwin_levels(user=request.user, year=year, area=area)
    current = levels[-1]
    children = []
    if level_of_code(current.code) < Level.VILLAGE:
        children = selectors.quickwin_children(area_code=current.code, year=year)
    waiting = selectors.trained_not_placed(user=request.user)
    if area is not None:
        waiting = waiting.filter(code_q(area.code, "village"))
    page = Paginator(waiting, 50).get_page(request.GET.get("page"))
    context = {
        "year": year,
        "years": range(timezone.localdate().year - 2, timezone.localdate().year + 3),
        "levels": levels,
        "current": current,
        "children": children,
        "page": page,
        "query": f"year={year}" + (f"&area={current.code}" if code else ""),
        "can_set_targets": request.user.is_admin,
    }
    return render(request, "programs/quickwin.html", context)


@login_required
def quickwin_targets(request):
    if not request.user.is_admin:
        raise Http404
    year = _year(request)
    form = QuickWinTargetForm(request.POST or None, initial={"year": year})
    if request.method == "POST":
        saved = form_save(
            request,
            form,
            save=lambda d: services.quickwin_target_set(actor=request.user, **d),
            done=lambda target: f"{request.path}?year={target.year}",
            message=_("Target saved."),
        )
        if saved is not None:
            return saved
    targets = selectors.quickwin_targets(year=year)
    # The sum of the shares set just below each target, to spot shares that overshoot it.
    shares: dict = {}
    for t in targets:
        if t.area is not None:
            shares[t.area.parent_id] = shares.get(t.area.parent_id, 0) + t.target
    rows = [{"target": t, "shares": shares.get(t.area_id)} for t in targets]
    context = {"form": form, "year": year, "rows": rows}
    return render(request, "programs/quickwin_targets.html", context)
