import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lindung.accounts.models import Role
from lindung.audit.models import Action
from lindung.audit.services import audit_record
from lindung.lib.editing import form_page, form_save, or_404
from lindung.lib.errors import ApplicationError
from lindung.lib.forms import add_service_error
from lindung.lib.nik import clean_nik
from lindung.privacy import breaches, forms, selectors, services
from lindung.privacy.models import RequestKind
from lindung.registry.selectors import person_by_nik

RETENTION_READERS = {Role.DISNAKER, Role.BP3MI, Role.KP2MI, Role.ADMIN}


def _request_or_404(user, pk):
    return or_404(selectors.subject_request_get(user=user, pk=pk))


def _breach_or_404(user, pk):
    return or_404(selectors.breach_get(user=user, pk=pk))


@login_required
def processing_register(request):
    """The processing register: every personal field, its purpose, legal basis and retention."""
    return render(request, "privacy/register.html", selectors.processing_register())


@login_required
def request_list(request):
    if not services.can_handle_requests(request.user):
        raise Http404
    view = request.GET.get("view") or "open"
    if view not in selectors.REQUEST_VIEWS:
        view = "open"
    page = Paginator(selectors.subject_request_list(user=request.user, view=view), 50).get_page(
        request.GET.get("page")
    )
    rows = [(r, selectors.clock(r)) for r in page.object_list]
    return render(
        request,
        "privacy/request_list.html",
        {"page": page, "rows": rows, "view": view, "views": selectors.REQUEST_VIEWS},
    )


@login_required
def request_create(request):
    if not services.can_handle_requests(request.user):
        raise Http404
    person = None
    if request.GET.get("person"):
        person = selectors.person_for_request(user=request.user, pk=request.GET["person"])
    elif request.GET.get("nik"):
        found = person_by_nik(user=request.user, nik=clean_nik(request.GET["nik"]))
        if found is not None and found.archived_at is None:
            person = found
        else:
            messages.error(request, _("No record with this NIK in your area of work."))
    if person is None:
        return render(request, "privacy/request_find.html", {"nik": request.GET.get("nik", "")})
    return form_page(
        request,
        forms.RequestForm(request.POST or None),
        save=lambda d: services.subject_request_create(actor=request.user, person=person, **d),
        done=lambda r: reverse("privacy:request_detail", args=[r.pk]),
        message=lambda r: (
            _("Request %(number)s recorded: answer by %(due)s.")
            % {"number": r.number, "due": r.due_at.strftime("%d-%m-%Y %H:%M")}
        ),
        template="privacy/request_form.html",
        context={"person": person},
    )


def _request_context(request, subject_request, bound=None):
    bound = bound or {}
    person = subject_request.person
    return {
        "req": subject_request,
        "person": person,
        "clock": selectors.clock(subject_request),
        "holds": services.erasure_holds(person) if subject_request.kind == "delete" else [],
        "answer_form": bound.get("complete") or forms.AnswerForm(),
        "refuse_form": bound.get("refuse") or forms.RefuseForm(),
        "correct_form": bound.get("correct") or forms.CorrectForm(),
        "history": selectors.person_requests(person=person),
    }


@login_required
def request_detail(request, pk):
    subject_request = _request_or_404(request.user, pk)
    return render(
        request, "privacy/request_detail.html", _request_context(request, subject_request)
    )


STEPS = {
    "start": (
        None,
        lambda user, req, data: services.subject_request_start(actor=user, request=req),
    ),
    "complete": (
        forms.AnswerForm,
        lambda user, req, data: services.subject_request_complete(
            actor=user, request=req, answer=data["answer"]
        ),
    ),
    "refuse": (
        forms.RefuseForm,
        lambda user, req, data: services.subject_request_refuse(
            actor=user, request=req, answer=data["answer"]
        ),
    ),
    "correct": (
        forms.CorrectForm,
        lambda user, req, data: services.subject_request_correct(
            actor=user, request=req, field=data["field"], value=data["value"]
        ),
    ),
    "lift": (
        None,
        lambda user, req, data: services.subject_request_lift_restriction(actor=user, request=req),
    ),
}


@login_required
@require_POST
def request_step(request, pk, step):
    subject_request = _request_or_404(request.user, pk)
    if step not in STEPS:
        raise Http404
    form_class, call = STEPS[step]
    form = form_class(request.POST) if form_class else None
    if form is None or form.is_valid():
        try:
            call(request.user, subject_request, form.cleaned_data if form else {})
        except ApplicationError as error:
            if form is None:
                messages.error(request, str(error.message))
                return redirect("privacy:request_detail", pk=subject_request.pk)
            add_service_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("privacy:request_detail", pk=subject_request.pk)
    context = _request_context(request, subject_request, bound={step: form})
    return render(request, "privacy/request_detail.html", context, status=400)


def _copy_or_404(request, pk):
    subject_request = _request_or_404(request.user, pk)
    if subject_request.kind != RequestKind.ACCESS or subject_request.person.anonymised_at:
        raise Http404
    return subject_request


@login_required
def subject_copy(request, pk):
    """The printable copy of everything held about the person (audited as a view)."""
    subject_request = _copy_or_404(request, pk)
    services.subject_copy_record(actor=request.user, request=subject_request, fmt="html")
    copy = selectors.subject_copy(user=request.user, request=subject_request)
    return render(
        request,
        "privacy/subject_copy.html",
        {
            "req": subject_request,
            "copy": copy,
            "labelled": selectors.copy_labelled(copy),
            "person": subject_request.person,
        },
    )


@login_required
def subject_copy_json(request, pk):
    """The machine-readable copy (UU 27/2022 Pasal 13: portability), audited as an export."""
    subject_request = _copy_or_404(request, pk)
    services.subject_copy_record(actor=request.user, request=subject_request, fmt="json")
    copy = selectors.subject_copy(user=request.user, request=subject_request)
    response = HttpResponse(
        json.dumps(copy, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{subject_request.number}.json"'
    return response


@login_required
def breach_list(request):
    if not services.can_record_breach(request.user):
        raise Http404
    view = "all" if request.GET.get("view") == "all" else "open"
    breaches = Paginator(selectors.breach_list(user=request.user, view=view), 50).get_page(
        request.GET.get("page")
    )
    rows = [(b, selectors.clock(b)) for b in breaches.object_list]
    return render(
        request, "privacy/breach_list.html", {"page": breaches, "rows": rows, "view": view}
    )


@login_required
def breach_create(request):
    if not services.can_record_breach(request.user):
        raise Http404
    return form_page(
        request,
        forms.BreachForm(request.POST or None),
        save=lambda d: breaches.breach_create(actor=request.user, **d),
        done=lambda breach: reverse("privacy:breach_detail", args=[breach.pk]),
        message=lambda breach: _("Breach %(number)s recorded.") % {"number": breach.number},
        template="privacy/breach_form.html",
    )


def _breach_context(breach, bound=None):
    bound = bound or {}
    return {
        "breach": breach,
        "clock": selectors.clock(breach),
        "notice_form": bound.get("notify") or forms.NoticeForm(),
        "close_form": bound.get("close") or forms.CloseForm(),
    }


@login_required
def breach_detail(request, pk):
    breach = _breach_or_404(request.user, pk)
    return render(request, "privacy/breach_detail.html", _breach_context(breach))


@login_required
@require_POST
def breach_step(request, pk, step):
    breach = _breach_or_404(request.user, pk)
    if step == "notify":
        form = forms.NoticeForm(request.POST)
        call = lambda data: breaches.breach_notify(  # noqa: E731
            actor=request.user,
            breach=breach,
            whom=data["whom"],
            notice=data["notice"],
            at=data["at"],
        )
    elif step == "close":
        form = forms.CloseForm(request.POST)
        call = lambda data: breaches.breach_close(  # noqa: E731
            actor=request.user, breach=breach, mitigation=data["mitigation"]
        )
    else:
        raise Http404
    saved = form_save(
        request,
        form,
        save=call,
        done=lambda _result: reverse("privacy:breach_detail", args=[breach.pk]),
        message=_("Saved."),
    )
    if saved is not None:
        return saved
    return render(
        request, "privacy/breach_detail.html", _breach_context(breach, {step: form}), status=400
    )


@login_required
def retention_report(request):
    """The dry-run report of the retention job, for the records in the user's area."""
    if request.user.role not in RETENTION_READERS:
        raise Http404
    rows = services.retention_candidates(user=request.user)
    audit_record(
        actor=request.user,
        action=Action.REPORT,
        object_type="privacy.retention",
        object_repr=_("Retention run (dry run)"),
        area_code=request.user.jurisdiction_id or "",
        changes={"dry_run": True, "rows": len(rows)},
    )
    return render(
        request,
        "privacy/retention.html",
        {"rows": rows, "rules": selectors.processing_register()["retention"]},
    )
