from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from lindung.accounts.scoping import user_area_code
from lindung.accounts.trail import audit_can_read, audit_event_list, object_type_label
from lindung.audit.forms import AuditFilterForm
from lindung.lib.keyset import keyset_page
from lindung.lib.timezones import local_time

PER_PAGE = 50
# Newest first; the id breaks ties of one instant (an import writes many rows at once).
TRAIL_ORDER = ("-at", "-id")


@login_required
def event_list(request):
    if not audit_can_read(request.user):
        raise Http404
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = audit_event_list(user=request.user, **filters)
    # Pages go on from the last entry shown (`?after=`), with no count: the trail of the
    # nation holds millions of entries, and its first page costs what a village's does.
    page = keyset_page(
        events, order=TRAIL_ORDER, after=request.GET.get("after"), size=PER_PAGE, count=False
    )
    own_area = user_area_code(request.user)
    for event in page.object_list:
        # Each event in the time of its own area (WIB, WITA or WIT); national ones in WIB.
        event.local_at, event.zone = local_time(event.at, event.area_code or own_area)
        event.type_label = object_type_label(event.object_type)
    query = request.GET.copy()
    query.pop("after", None)
    return render(
        request,
        "audit/event_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )
