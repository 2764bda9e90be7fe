from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from lindung.accounts.scoping import code_in_scope, user_area_code
from lindung.lib.editing import (
    archive_post,
    current_values,
    form_page,
    form_save,
    list_page,
    or_404,
    service_data,
)
from lindung.lib.uploads import download_response
from lindung.outreach import selectors, services
from lindung.outreach.forms import (
    AnnouncementForm,
    ArchiveForm,
    MaterialForm,
    SessionFilterForm,
    SessionForm,
)


def _can_edit(user, code: str | None) -> bool:
    if not services.can_write_outreach(user):
        return False
    return user.is_national if code is None else code_in_scope(user, code)


@login_required
def session_list(request):
    code = user_area_code(request.user)
    context = {
        **list_page(
            request,
            SessionFilterForm,
            selectors.session_list,
            per_page=30,
            order=("-held_on", "-id"),
        ),
        "totals": selectors.reach_totals(area_code=code),
        "can_write": services.can_write_outreach(request.user),
    }
    return render(request, "outreach/session_list.html", context)


def _detail_url(session) -> str:
    return reverse("outreach:session_detail", args=[session.pk])


@login_required
def session_create(request):
    if not services.can_write_outreach(request.user):
        raise Http404
    initial = {"held_on": timezone.localdate(), "area": user_area_code(request.user) or ""}
    if request.user.organisation:
        initial["organiser_name"] = request.user.organisation
    return form_page(
        request,
        SessionForm(request.POST or None, initial=initial),
        save=lambda d: services.session_create(actor=request.user, **service_data(d, "note")),
        done=_detail_url,
        message=_("Session recorded."),
        template="outreach/session_form.html",
    )


@login_required
def session_detail(request, pk):
    session = or_404(selectors.session_get(user=request.user, pk=pk))
    can_edit = _can_edit(request.user, session.area_id) and not session.is_archived
    context = _detail_context(session, can_edit=can_edit, material_form=MaterialForm())
    return render(request, "outreach/session_detail.html", context)


def _detail_context(session, *, can_edit: bool, material_form) -> dict:
    return {
        "session": session,
        "materials": session.materials.filter(archived_at__isnull=True),
        "can_edit": can_edit,
        "material_form": material_form,
        "archive_form": ArchiveForm(),
    }


@login_required
def session_edit(request, pk):
    session = or_404(selectors.session_get(user=request.user, pk=pk))
    if not _can_edit(request.user, session.area_id) or session.is_archived:
        raise Http404
    villages = " ".join(v.code for v in session.villages.all())
    initial = current_values(session, SessionForm.base_fields, villages=villages)
    return form_page(
        request,
        SessionForm(request.POST or None, initial=initial),
        save=lambda d: services.session_update(
            actor=request.user, session=session, data=service_data(d, "note")
        ),
        done=lambda _changes: _detail_url(session),
        message=_("Changes saved."),
        template="outreach/session_form.html",
        context={"session": session},
    )


@login_required
@require_POST
def session_archive(request, pk):
    session = or_404(selectors.session_get(user=request.user, pk=pk))
    if not _can_edit(request.user, session.area_id):
        raise Http404
    return archive_post(
        request,
        ArchiveForm(request.POST),
        archive=lambda reason: services.session_archive(
            actor=request.user, session=session, reason=reason
        ),
        message=_("Session archived."),
        done="outreach:session_list",
        back=_detail_url(session),
    )


@login_required
@require_POST
def material_add(request, pk):
    session = or_404(selectors.session_get(user=request.user, pk=pk))
    if not _can_edit(request.user, session.area_id) or session.is_archived:
        raise Http404
    form = MaterialForm(request.POST, request.FILES)
    saved = form_save(
        request,
        form,
        save=lambda d: services.material_add(actor=request.user, session=session, **d),
        done=lambda _material: _detail_url(session),
        message=_("Material added."),
    )
    if saved is not None:
        return saved
    context = _detail_context(session, can_edit=True, material_form=form)
    return render(request, "outreach/session_detail.html", context, status=400)


@login_required
def material_download(request, pk):
    material = selectors.material_get(user=request.user, pk=pk)
    if material is None:
        raise Http404
    return download_response(material.file)


@login_required
def announcement_list(request):
    current = request.GET.get("current") == "1"
    qs = selectors.announcement_list(user=request.user, current_only=current)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    today = timezone.localdate()
    context = {
        "page": page,
        "current": current,
        "query": "current=1" if current else "",
        "today": today,
        "can_write": services.can_write_outreach(request.user),
        "editable": {a.pk for a in page if _can_edit(request.user, a.area_id)},
    }
    return render(request, "outreach/announcement_list.html", context)


@login_required
def announcement_create(request):
    if not services.can_write_outreach(request.user):
        raise Http404
    initial = {"valid_from": timezone.localdate(), "area": user_area_code(request.user) or ""}
    return form_page(
        request,
        AnnouncementForm(request.POST or None, initial=initial),
        save=lambda d: services.announcement_create(
            actor=request.user, **service_data(d, "source")
        ),
        done=lambda _announcement: reverse("outreach:announcement_list"),
        message=_("Announcement published."),
        template="outreach/announcement_form.html",
    )


@login_required
def announcement_edit(request, pk):
    announcement = selectors.announcement_get(user=request.user, pk=pk)
    if announcement is None or not _can_edit(request.user, announcement.area_id):
        raise Http404
    if announcement.is_archived:
        raise Http404
    initial = current_values(
        announcement, AnnouncementForm.base_fields, area=announcement.area_id or ""
    )
    return form_page(
        request,
        AnnouncementForm(request.POST or None, initial=initial),
        save=lambda d: services.announcement_update(
            actor=request.user, announcement=announcement, data=service_data(d, "source")
        ),
        done=lambda _changes: reverse("outreach:announcement_list"),
        message=_("Changes saved."),
        template="outreach/announcement_form.html",
        context={"announcement": announcement, "archive_form": ArchiveForm()},
    )


@login_required
@require_POST
def announcement_archive(request, pk):
    announcement = selectors.announcement_get(user=request.user, pk=pk)
    if announcement is None or not _can_edit(request.user, announcement.area_id):
        raise Http404
    return archive_post(
        request,
        ArchiveForm(request.POST),
        archive=lambda reason: services.announcement_archive(
            actor=request.user, announcement=announcement, reason=reason
        ),
        message=_("Announcement withdrawn."),
        done="outreach:announcement_list",
        back=reverse("outreach:announcement_edit", args=[announcement.pk]),
    )


# --- Public pages (no login) -----------------------------------------------------------------


def _public_language(request) -> None:
    """Public pages switch language with ?lang= (no session, no form, no cookie)."""
    lang = request.GET.get("lang")
    if lang in ("id", "en"):
        translation.activate(lang)
        request.LANGUAGE_CODE = lang


@cache_control(max_age=300)
def public_index(request):
    """Find a village's information page by name."""
    _public_language(request)
    query = request.GET.get("q", "").strip()[:80]
    results = selectors.public_village_search(query=query)
    return render(request, "outreach/public_index.html", {"query": query, "results": results})


@cache_control(max_age=300)
def public_village(request, code):
    """A village's safe-migration page: announcements, contacts, and no personal data."""
    _public_language(request)
    village = selectors.public_village(code=code)
    if village is None:
        raise Http404
    context = {
        "village": village,
        "regency": village.parent.parent if village.parent else None,
        **selectors.public_announcements(village=village),
    }
    return render(request, "outreach/public_village.html", context)
