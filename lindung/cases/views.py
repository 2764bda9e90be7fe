from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lindung.accounts.models import User
from lindung.audit.services import audit_view
from lindung.cases import forms, selectors, services
from lindung.cases.models import Case
from lindung.lib.countries import COUNTRIES
from lindung.lib.errors import ApplicationError
from lindung.lib.forms import add_service_error
from lindung.registry.models import Relation
from lindung.registry.selectors import person_by_nik, person_get


def _officer(form):
    pk = form.cleaned_data.get("officer")
    return User.objects.filter(pk=pk).first() if pk else None


# step name -> (form, call of the service with the form's cleaned data, message)
ACTIONS = {
    "verify": (
        forms.StepForm,
        lambda user, case, data, form: services.case_verify(actor=user, case=case, **data),
        gettext_lazy("Case verified."),
    ),
    "refer": (
        forms.ReferForm,
        lambda user, case, data, form: services.case_refer(actor=user, case=case, **data),
        gettext_lazy("Case referred."),
    ),
    "take_up": (
        forms.TakeUpForm,
        lambda user, case, data, form: services.case_take_up(
            actor=user,
            case=case,
            occurred_on=data["occurred_on"],
            note=data["note"],
            officer=_officer(form),
        ),
        gettext_lazy("Case taken up."),
    ),
    "assign": (
        forms.AssignForm,
        lambda user, case, data, form: services.case_assign(
            actor=user,
            case=case,
            officer=_officer(form),
            occurred_on=data["occurred_on"],
            note=data["note"],
        ),
        gettext_lazy("Handling officer changed."),
    ),
    "resolve": (
        forms.ResolveForm,
        lambda user, case, data, form: services.case_resolve(actor=user, case=case, **data),
        gettext_lazy("Case resolved."),
    ),
    "close": (
        forms.StepForm,
        lambda user, case, data, form: services.case_close(actor=user, case=case, **data),
        gettext_lazy("Case closed."),
    ),
    "reopen": (
        forms.ReopenForm,
        lambda user, case, data, form: services.case_reopen(actor=user, case=case, **data),
        gettext_lazy("Case reopened."),
    ),
    "note": (
        forms.NoteForm,
        lambda user, case, data, form: services.case_note(actor=user, case=case, **data),
        gettext_lazy("Note added."),
    ),
    "attach": (
        forms.AttachmentForm,
        lambda user, case, data, form: services.case_attachment_add(
            actor=user, case=case, upload=data["file"], description=data["description"]
        ),
        gettext_lazy("Attachment added."),
    ),
}


def _case_or_404(user, pk) -> Case:
    case = selectors.case_get(user=user, pk=pk)
    if case is None:
        raise Http404
    return case


@login_required
def case_list(request):
    form = forms.CaseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    view = filters.get("view") or "open"
    cases = selectors.case_list(user=request.user, filters=filters)
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    page.object_list = selectors.cases_with_deadlines(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
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
            "can_record": services.can_record(request.user),
        },
    )


@login_required
def case_create(request):
    if not services.can_record(request.user):
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


def _detail_context(request, case, bound: dict | None = None) -> dict:
    user = request.user
    allowed = services.case_allowed_steps(user, case)
    action_forms = {}
    for step in allowed:
        form_class = ACTIONS[step][0]
        if bound and step in bound:
            action_forms[step] = bound[step]
        else:
            action_forms[step] = form_class(case=case, user=user)
    details = services.can_see_details(user, case)
    names = COUNTRIES.get(case.country)
    english = (get_language() or "id").startswith("en")
    return {
        "case": case,
        "country_name": names[1 if english else 0] if names else "",
        "reporter_relation": Relation(case.reporter_relation).label
        if case.reporter_relation
        else "",
        "deadline": selectors.case_deadline_state(case),
        "categories": list(case.categories.all()),
        "steps": selectors.case_steps(case=case),
        "details": details,
        "attachments": selectors.case_attachments(case=case) if details else [],
        "viewers": selectors.case_viewers(user=user, case=case)[:50]
        if user.is_case_handler
        else [],
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
    if step not in ACTIONS or step not in services.case_allowed_steps(request.user, case):
        raise Http404
    form_class, call, done = ACTIONS[step]
    form = form_class(request.POST, request.FILES or None, case=case, user=request.user)
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "officer"}
        try:
            call(request.user, case, data, form)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, done)
            return redirect("cases:case_detail", pk=case.pk)
    context = _detail_context(request, case, bound={step: form})
    return render(request, "cases/case_detail.html", context, status=400)


@login_required
def attachment_download(request, pk, attachment_pk):
    case = _case_or_404(request.user, pk)
    if not services.can_see_details(request.user, case):
        raise Http404
    attachment = selectors.case_attachment_get(user=request.user, case_pk=case.pk, pk=attachment_pk)
    if attachment is None:
        raise Http404
    audit_view(actor=request.user, obj=attachment, area_code=case.village_id)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def case_summary(request):
    summary = selectors.case_summary(user=request.user)
    return render(request, "cases/case_summary.html", {"summary": summary})
