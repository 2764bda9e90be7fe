from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from lindung.accounts.areas import area_get
from lindung.accounts.scoping import code_in_scope, user_area_code
from lindung.lib.editing import current_values, form_page, list_page, or_404
from lindung.lib.uploads import download_response
from lindung.regions.models import Level
from lindung.regulations import selectors, services
from lindung.regulations.forms import RegulationFilterForm, RegulationForm


def _detail_url(regulation) -> str:
    return reverse("regulations:regulation_detail", args=[regulation.pk])


def _can_edit(user, regulation) -> bool:
    return services.can_write_regulations(user) and code_in_scope(user, regulation.area_id)


@login_required
def regulation_list(request):
    code = user_area_code(request.user)
    own_perdes = None
    if request.user.is_village_user:
        own_perdes = selectors.village_perdes(codes=[code]).get(code)
    context = {
        **list_page(
            request,
            RegulationFilterForm,
            selectors.regulation_list,
            per_page=50,
            order=("kind", "area_id", "id"),
        ),
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
    return form_page(
        request,
        RegulationForm(request.POST or None, request.FILES or None, initial=initial),
        save=lambda d: services.regulation_create(actor=request.user, **d),
        done=_detail_url,
        message=_("Regulation recorded."),
        template="regulations/regulation_form.html",
    )


def _update(actor, regulation, cleaned: dict) -> dict:
    data = dict(cleaned)
    document = data.pop("document", None)
    return services.regulation_update(
        actor=actor, regulation=regulation, data=data, document=document
    )


@login_required
def regulation_detail(request, pk):
    regulation = or_404(selectors.regulation_get(user=request.user, pk=pk))
    can_edit = _can_edit(request.user, regulation) and not regulation.is_archived
    context = {"regulation": regulation, "can_edit": can_edit}
    if not can_edit:
        if request.method == "POST":
            raise Http404
        return render(request, "regulations/regulation_detail.html", {**context, "form": None})
    initial = current_values(regulation, RegulationForm.base_fields, document=None)
    return form_page(
        request,
        RegulationForm(request.POST or None, request.FILES or None, initial=initial, editing=True),
        save=lambda d: _update(request.user, regulation, d),
        done=lambda _changes: _detail_url(regulation),
        message=_("Changes saved."),
        quiet_if_unchanged=True,
        template="regulations/regulation_detail.html",
        context=context,
        error_status=400,
    )


@login_required
def regulation_document(request, pk):
    regulation = or_404(selectors.regulation_get(user=request.user, pk=pk))
    if not regulation.document:
        raise Http404
    return download_response(regulation.document)
