from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from lindung.accounts.scoping import code_in_scope, user_area_code
from lindung.lib.errors import ApplicationError
from lindung.lib.forms import add_service_error
from lindung.outreach import selectors, services
from lindung.outreach.forms import (
    AnnouncementForm,
    ArchiveForm,
    MaterialForm,
    SessionFilterForm,
    SessionForm,
)


def _session_or_404(user, pk):
    session = selectors.session_get(user=user, pk=pk)
    if session is None:
        raise Http404
    return session


def _can_edit(user, code: str | None) -> bool:
    if not services.can_write_outreach(user):
        return False
    return user.is_national if code is None else code_in_scope(user, code)


@login_required
def session_list(request):
    form = SessionFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(selectors.session_list(user=request.user, filters=filters), 30).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    code = user_area_code(request.user)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "totals": selectors.reach_totals(area_code=code),
        "can_write": services.can_write_outreach(request.user),
    }
    return render(request, "outreach/session_list.html", context)


def _session_data(form) -> dict:
    data = dict(form.cleaned_data)
    data["note"] = data.get("note") or ""
    return data


@login_required
def session_create(request):
    if not services.can_write_outreach(request.user):
        raise Http404
    initial = {"held_on": timezone.localdate(), "area": user_area_code(request.user) or ""}
    if request.user.organisation:
        initial["organiser_name"] = request.user.organisation
    form = SessionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(actor=request.user, **_session_data(form))
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Session recorded."))
            return redirect("outreach:session_detail", pk=session.pk)
    return render(request, "outreach/session_form.html", {"form": form})


@login_required
def session_detail(request, pk):
    session = _session_or_404(request.user, pk)
    context = {
        "session": session,
        "materials": session.materials.filter(archived_at__isnull=True),
        "can_edit": _can_edit(request.user, session.area_id) and not session.is_archived,
        "material_form": MaterialForm(),
        "archive_form": ArchiveForm(),
    }
    return render(request, "outreach/session_detail.html", context)


@login_required
def session_edit(request, pk):
    session = _session_or_404(request.user, pk)
    if not _can_edit(request.user, session.area_id) or session.is_archived:
        raise Http404
    initial = {
        "held_on": session.held_on,
        "area": session.area_id,
        "villages": " ".join(v.code for v in session.villages.all()),
        "organiser_kind": session.organiser_kind,
        "organiser_name": session.organiser_name,
        "channel": session.channel,
        "topics": session.topics,
        "attendees_male": session.attendees_male,
        "attendees_female": session.attendees_female,
        "note": session.note,
    }
    form = SessionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(actor=request.user, session=session, data=_session_data(form))
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("outreach:session_detail", pk=session.pk)
    return render(request, "outreach/session_form.html", {"form": form, "session": session})


@login_required
@require_POST
def session_archive(request, pk):
    session = _session_or_404(request.user, pk)
    if not _can_edit(request.user, session.area_id):
        raise Http404
    form = ArchiveForm(request.POST)
    try:
        if not form.is_valid():
            raise ApplicationError(_("Give a reason for archiving."))
        services.session_archive(
            actor=request.user, session=session, reason=form.cleaned_data["reason"]
        )
    except ApplicationError as error:
        messages.error(request, str(error.message))
        return redirect("outreach:session_detail", pk=session.pk)
    messages.success(request, _("Session archived."))
    return redirect("outreach:session_list")


@login_required
@require_POST
def material_add(request, pk):
    session = _session_or_404(request.user, pk)
    if not _can_edit(request.user, session.area_id) or session.is_archived:
        raise Http404
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.material_add(actor=request.user, session=session, **form.cleaned_data)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Material added."))
            return redirect("outreach:session_detail", pk=session.pk)
    context = {
        "session": session,
        "materials": session.materials.filter(archived_at__isnull=True),
        "can_edit": True,
        "material_form": form,
        "archive_form": ArchiveForm(),
    }
    return render(request, "outreach/session_detail.html", context, status=400)


@login_required
def material_download(request, pk):
    material = selectors.material_get(user=request.user, pk=pk)
    if material is None:
        raise Http404
    try:
        handle = material.file.open("rb")
    except FileNotFoundError:
        raise Http404
    return FileResponse(
        handle, content_type=material.content_type, filename=material.file.name.rsplit("/", 1)[-1]
    )


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


def _announcement_data(form) -> dict:
    data = dict(form.cleaned_data)
    data["source"] = data.get("source") or ""
    return data


@login_required
def announcement_create(request):
    if not services.can_write_outreach(request.user):
        raise Http404
    initial = {"valid_from": timezone.localdate(), "area": user_area_code(request.user) or ""}
    form = AnnouncementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.announcement_create(actor=request.user, **_announcement_data(form))
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Announcement published."))
            return redirect("outreach:announcement_list")
    return render(request, "outreach/announcement_form.html", {"form": form})


@login_required
def announcement_edit(request, pk):
    announcement = selectors.announcement_get(user=request.user, pk=pk)
    if announcement is None or not _can_edit(request.user, announcement.area_id):
        raise Http404
    if announcement.is_archived:
        raise Http404
    initial = {
        "area": announcement.area_id or "",
        "kind": announcement.kind,
        "title": announcement.title,
        "body": announcement.body,
        "source": announcement.source,
        "valid_from": announcement.valid_from,
        "valid_until": announcement.valid_until,
    }
    form = AnnouncementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.announcement_update(
                actor=request.user, announcement=announcement, data=_announcement_data(form)
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("outreach:announcement_list")
    context = {"form": form, "announcement": announcement, "archive_form": ArchiveForm()}
    return render(request, "outreach/announcement_form.html", context)


@login_required
@require_POST
def announcement_archive(request, pk):
    announcement = selectors.announcement_get(user=request.user, pk=pk)
    if announcement is None or not _can_edit(request.user, announcement.area_id):
        raise Http404
    form = ArchiveForm(request.POST)
    try:
        if not form.is_valid():
            raise ApplicationError(_("Give a reason for archiving."))
        services.announcement_archive(
            actor=request.user, announcement=announcement, reason=form.cleaned_data["reason"]
        )
    except ApplicationError as error:
        messages.error(request, str(error.message))
        return redirect("outreach:announcement_edit", pk=announcement.pk)
    messages.success(request, _("Announcement withdrawn."))
    return redirect("outreach:announcement_list")


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
