from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lindung.accounts.scoping import code_in_scope, user_area_code
from lindung.lib.errors import ApplicationError
from lindung.lib.forms import add_service_error
from lindung.regions.models import Level
from lindung.regions.selectors import area_get
from lindung.regulations import selectors, services
from lindung.regulations.forms import RegulationFilterForm, RegulationForm


def _regulation_or_404(user, pk):
    regulation = selectors.regulation_get(user=user, pk=pk)
    if regulation is None:
        raise Http404
    return regulation


def _can_edit(user, regulation) -> bool:
    return services.can_write_regulations(user) and code_in_scope(user, regulation.area_id)


@login_required
def regulation_list(request):
    form = RegulationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(selectors.regulation_list(user=request.user, filters=filters), 50).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    code = user_area_code(request.user)
    own_perdes = None
    if request.user.is_village_user:
        own_perdes = selectors.village_perdes(codes=[code]).get(code)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_write": services.can_write_regulations(request.user),
        "own_code": code,
        "is_village_user": request.user.is_village_user,
        "own_perdes": own_perdes,
    }
    return render(request, "regulations/regulation_list.html", context)


@login_required
def coverage(request, code=None):
    code = code or user_area_code(request.user)
    area = None
    if code is not None:
        area = area_get(user=request.user, code=code)
        if area is None:
            raise Http404
    level = area.level if area else 0
    context = {
        "area": area,
        "levels": selectors.coverage_levels(area_code=code),
        "children": selectors.coverage_by_child(area_code=code),
        "regency_regulations": selectors.regency_regulations(code=code) if code else [],
        "can_write": services.can_write_regulations(request.user),
    }
    if level in (Level.REGENCY, Level.DISTRICT):
        todo = selectors.villages_without_draft(area_code=code)
        context["todo"] = Paginator(todo, 200).get_page(request.GET.get("page"))
        context["groups"] = selectors.side_by_side(area_code=code)
    if level == Level.DISTRICT:
        villages = list(area.children.order_by("code"))
        perdes = selectors.village_perdes(codes=[v.code for v in villages])
        context["villages"] = [(v, perdes.get(v.code)) for v in villages]
    if level == Level.VILLAGE:
        context["own_perdes"] = selectors.village_perdes(codes=[code]).get(code)
    return render(request, "regulations/coverage.html", context)


@login_required
def regulation_create(request):
    if not services.can_write_regulations(request.user):
        raise Http404
    initial = {
        "area": request.GET.get("area", "")[:13] or user_area_code(request.user) or "",
        "kind": request.GET.get("kind", "perdes"),
        "status": "draft",
    }
    form = RegulationForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            regulation = services.regulation_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Regulation recorded."))
            return redirect("regulations:regulation_detail", pk=regulation.pk)
    return render(request, "regulations/regulation_form.html", {"form": form})


@login_required
def regulation_detail(request, pk):
    regulation = _regulation_or_404(request.user, pk)
    can_edit = _can_edit(request.user, regulation) and not regulation.is_archived
    form = None
    if can_edit:
        initial = {
            "area": regulation.area_id,
            "kind": regulation.kind,
            "status": regulation.status,
            "title": regulation.title,
            "number": regulation.number,
            "enacted_on": regulation.enacted_on,
            "responsible_official": regulation.responsible_official,
        }
        form = RegulationForm(
            request.POST or None, request.FILES or None, initial=initial, editing=True
        )
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data)
            document = data.pop("document", None)
            try:
                changes = services.regulation_update(
                    actor=request.user, regulation=regulation, data=data, document=document
                )
            except ApplicationError as error:
                add_service_error(form, error)
            else:
                if changes:
                    messages.success(request, _("Changes saved."))
                return redirect("regulations:regulation_detail", pk=regulation.pk)
    elif request.method == "POST":
        raise Http404
    context = {"regulation": regulation, "form": form, "can_edit": can_edit}
    status = 400 if form is not None and form.errors else 200
    return render(request, "regulations/regulation_detail.html", context, status=status)


@login_required
def regulation_document(request, pk):
    regulation = _regulation_or_404(request.user, pk)
    if not regulation.document:
        raise Http404
    try:
        handle = regulation.document.open("rb")
    except FileNotFoundError:
        raise Http404
    return FileResponse(
        handle,
        content_type="application/pdf",
        filename=regulation.document.name.rsplit("/", 1)[-1],
    )
