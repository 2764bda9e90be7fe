from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lindung.accounts.models import User
from lindung.audit.services import audit_view
from lindung.cases import forms, need_to_know, selectors, services, story, workflow
from lindung.cases.models import Case
from lindung.lib.countries import country_name
from lindung.lib.editing import form_save, or_404
from lindung.lib.errors import ApplicationError
from lindung.lib.forms import add_service_error
from lindung.lib.keyset import keyset_page
from lindung.lib.uploads import download_response
from lindung.registry.models import Relation
from lindung.registry.nik_clash import nik_lookup_audit
from lindung.registry.selectors import person_by_nik, person_get


@dataclass(frozen=True)
class Step:
    form: type
    service: Callable  # called with actor, case and the form's cleaned data
    done: str  # the message after saving
    users: tuple[str, ...] = ()  # fields holding a user's key: the service gets the user
    renamed: tuple[tuple[str, str], ...] = ()  # (form field, service keyword)

    def arguments(self, data: dict) -> dict:
        data = dict(data)
        for name in self.users:
            pk = data.pop(name, None)
            data[name] = User.objects.filter(pk=pk).first() if pk else None
        for field, keyword in self.renamed:
            data[keyword] = data.pop(field)
        return data


CASES_PER_PAGE = 50

STEPS = {
    "verify": Step(forms.StepForm, services.case_verify, gettext_lazy("Case verified.")),
    "refer": Step(forms.ReferForm, services.case_refer, gettext_lazy("Case referred.")),
    "take_up": Step(
        forms.TakeUpForm, services.case_take_up, gettext_lazy("Case taken up."), ("officer",)
    ),
    "assign": Step(
        forms.AssignForm,
        services.case_assign,
        gettext_lazy("Handling officer changed."),
        ("officer",),
    ),
    "resolve": Step(forms.ResolveForm, services.case_resolve, gettext_lazy("Case resolved.")),
    "close": Step(forms.StepForm, services.case_close, gettext_lazy("Case closed.")),
    "reopen": Step(forms.ReopenForm, services.case_reopen, gettext_lazy("Case reopened.")),
    "note": Step(forms.NoteForm, services.case_note, gettext_lazy("Note added.")),
    "supervisor": Step(
        forms.SupervisorForm,
        story.case_supervisor_set,
        gettext_lazy("Supervisor saved."),
        ("supervisor",),
    ),
    "attach": Step(
        forms.AttachmentForm,
        story.case_attachment_add,
        gettext_lazy("Attachment added."),
        renamed=(("file", "upload"),),
    ),
}


def _case_or_404(user, pk) -> Case:
    return or_404(selectors.case_get(user=user, pk=pk))


@login_required
def case_list(request):
    form = forms.CaseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    view = filters.get("view") or "open"
    cases = selectors.case_list(user=request.user, filters=filters)
    # Pages go on from the last case shown (`?after=`), with no count: the first view costs
    # the same for a village and for the nation's cases.
    page = keyset_page(
        cases,
        order=selectors.case_order(view),
        after=request.GET.get("after"),
        size=CASES_PER_PAGE,
        count=False,
    )
    page.rows = selectors.cases_with_deadlines(page.rows)
    query = request.GET.copy()
    query.pop("after", None)
    tab_query = query.copy()
    tab_query.pop("view", None)
    return render(
        request,
        "cases/case_list.html",
        {
            "form": form,
            "page": page,
            "view": view,
            "views": forms.VIEW_CHOICES,
            "query": query.urlencode(),
            "tab_query": tab_query.urlencode(),
            "can_record": workflow.can_record(request.user),
        },
    )


@login_required
def case_create(request):
    if not workflow.can_record(request.user):
        raise Http404
    person = None
    if request.GET.get("person"):
        person = person_get(user=request.user, pk=request.GET["person"])
        if person is None or person.archived_at is not None:
            raise Http404
    form = forms.CaseForm(
        request.POST or None, request.FILES or None, user=request.user, person=person
    )
    if request.method == "POST" and form.is_valid():
        found = person or person_by_nik(user=request.user, nik=form.cleaned_data["nik"])
        try:
            case = services.case_intake(
                actor=request.user,
                person=found,
                new_person=None if found else form.new_person(),
                case=form.case_data(),
                attachment=form.attachment(),
            )
        except ApplicationError as error:
            nik_lookup_audit(actor=request.user, error=error)
            if error.field == "nik" and found is None and form.new_person() is None:
                error.message = _(
                    "No one with this NIK is registered in your area: fill in the name, sex, "
                    "date of birth and village to register the person now."
                )
            add_service_error(form, error)
        else:
            messages.success(request, _("Case %(number)s recorded.") % {"number": case.number})
            return redirect("cases:case_detail", pk=case.pk)
    return render(request, "cases/case_form.html", {"form": form, "person": person})


def _detail_context(request, case, bound: dict | None = None, emergency_form=None) -> dict:
    user = request.user
    allowed = workflow.case_allowed_steps(user, case)
    action_forms = {}
    for step in allowed:
        form_class = STEPS[step].form
        if bound and step in bound:
            action_forms[step] = bound[step]
        else:
            action_forms[step] = form_class(case=case, user=user)
    details = need_to_know.may_read_story(user, case)
    return {
        "case": case,
        "country_name": country_name(case.country),
        "reporter_relation": Relation(case.reporter_relation).label
        if case.reporter_relation
        else "",
        "deadline": selectors.case_deadline_state(case),
        "categories": list(case.categories.all()),
        "steps": selectors.case_steps(case=case),
        "details": details,
        "attachments": selectors.case_attachments(case=case) if details else [],
        "emergency_reads": selectors.case_emergency_reads(case=case) if details else [],
        "emergency_form": emergency_form
        or (forms.EmergencyReadForm() if need_to_know.may_break_glass(user, case) else None),
        "emergency_hours": need_to_know.emergency_read_hours(),
        "viewers": selectors.case_viewers(user=user, case=case)[:50] if details else [],
        "action_forms": action_forms,
        "open_action": next(iter(bound)) if bound else "",
    }


@login_required
def case_detail(request, pk):
    case = _case_or_404(request.user, pk)
    audit_view(actor=request.user, obj=case, area_code=case.village_id)
    return render(request, "cases/case_detail.html", _detail_context(request, case))


@login_required
@require_POST
def case_step(request, pk, step):
    case = _case_or_404(request.user, pk)
    if step not in STEPS or step not in workflow.case_allowed_steps(request.user, case):
        raise Http404
    spec = STEPS[step]
    form = spec.form(request.POST, request.FILES or None, case=case, user=request.user)
    saved = form_save(
        request,
        form,
        save=lambda d: spec.service(actor=request.user, case=case, **spec.arguments(d)),
        done=lambda _step: reverse("cases:case_detail", args=[case.pk]),
        message=spec.done,
    )
    if saved is not None:
        return saved
    context = _detail_context(request, case, bound={step: form})
    return render(request, "cases/case_detail.html", context, status=400)


@login_required
@require_POST
def case_emergency_read(request, pk):
    """Break the glass: a written reason opens the case's story for a few hours."""
    case = _case_or_404(request.user, pk)
    if not need_to_know.may_break_glass(request.user, case):
        raise Http404
    form = forms.EmergencyReadForm(request.POST)
    if form.is_valid():
        try:
            story.case_emergency_read(
                actor=request.user, case=case, reason=form.cleaned_data["reason"]
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.warning(
                request,
                _("Emergency access recorded: the unit handling the case sees your reason."),
            )
            return redirect("cases:case_detail", pk=case.pk)
    context = _detail_context(request, case, emergency_form=form)
    return render(request, "cases/case_detail.html", context, status=400)


@login_required
def attachment_download(request, pk, attachment_pk):
    case = _case_or_404(request.user, pk)
    if not need_to_know.may_read_story(request.user, case):
        raise Http404
    attachment = selectors.case_attachment_get(user=request.user, case_pk=case.pk, pk=attachment_pk)
    if attachment is None:
        raise Http404
    audit_view(actor=request.user, obj=attachment, area_code=case.village_id)
    return download_response(attachment.file, name=attachment.original_name)


@login_required
def case_summary(request):
    summary = selectors.case_summary(user=request.user)
    return render(request, "cases/case_summary.html", {"summary": summary})
