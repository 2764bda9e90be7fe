"""The record pages the apps share: a filtered list, a form whose valid post calls one service,
and an archive button. Views stay thin; what differs (the form, the selector or service, the
message, where to go next) is passed in."""

from collections.abc import Callable

from django.contrib import messages
from django.db import models
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lindung.lib.errors import ApplicationError
from lindung.lib.forms import add_service_error
from lindung.lib.keyset import keyset_page


def or_404(row):
    """The row a selector found for the user, or Not Found (also for a row out of reach)."""
    if row is None:
        raise Http404
    return row


def list_page(
    request, form_class, selector: Callable, *, per_page: int, order: tuple[str, ...]
) -> dict:
    """A list page's context: the filter form, the page asked for of what the list selector
    (`selector(user=, filters=)`) returns in `order` (its last field unique), and the query
    string that keeps the filters on the page links.

    Pages go on from the last row shown (`?after=`, `lib.keyset`) and the count stops after
    1,000, so a page costs the same however many rows the list holds."""
    form = form_class(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selector(user=request.user, filters=filters)
    page = keyset_page(rows, order=order, after=request.GET.get("after"), size=per_page)
    query = request.GET.copy()
    for key in ("after", "page"):
        query.pop(key, None)
    return {"form": form, "page": page, "query": query.urlencode()}


def form_save(
    request,
    form,
    *,
    save: Callable[[dict], object],
    done: Callable[[object], str],
    message: str | Callable[[object], str],
    quiet_if_unchanged: bool = False,
):
    """For a posted `form`: when valid, call `save(cleaned_data)` and answer with a redirect to
    `done(result)` and `message`, or `message(result)` (none when `quiet_if_unchanged` and the
    result, a diff, is empty). None when the form is invalid or the service refuses (its
    refusal is then shown on the form): the caller shows the form again."""
    if not form.is_valid():
        return None
    try:
        result = save(form.cleaned_data)
    except ApplicationError as error:
        add_service_error(form, error)
        return None
    if result or not quiet_if_unchanged:
        messages.success(request, message(result) if callable(message) else message)
    return redirect(done(result))


def form_page(
    request,
    form,
    *,
    save: Callable[[dict], object],
    done: Callable[[object], str],
    message: str | Callable[[object], str],
    template: str,
    context: dict | None = None,
    quiet_if_unchanged: bool = False,
    error_status: int = 200,
):
    """Show `form`; a post is saved as `form_save` does. A rule the service refuses is shown
    on the form, answered with `error_status`."""
    if request.method == "POST":
        saved = form_save(
            request,
            form,
            save=save,
            done=done,
            message=message,
            quiet_if_unchanged=quiet_if_unchanged,
        )
        if saved is not None:
            return saved
    status = error_status if form.errors else 200
    return render(request, template, {"form": form, **(context or {})}, status=status)


def archive_post(request, form, *, archive: Callable[[str], object], message: str, done, back):
    """Archive with the reason posted in `form`: to `done` with `message`, or back to `back`
    with the service's refusal (or the missing reason) as an error message."""
    try:
        if not form.is_valid():
            raise ApplicationError(_("Give a reason for archiving."))
        archive(form.cleaned_data["reason"])
    except ApplicationError as error:
        messages.error(request, str(error.message))
        return redirect(back)
    messages.success(request, message)
    return redirect(done)


def service_data(cleaned: dict, *text_fields: str) -> dict:
    """A form's cleaned data for a service, with these optional texts as "" (never None)."""
    data = dict(cleaned)
    for name in text_fields:
        data[name] = data.get(name) or ""
    return data


def current_values(instance: models.Model, names, **overrides) -> dict:
    """A row's values as an edit form's initial data: each field of `names` as stored (a
    foreign key as its key), then `overrides` for what the form shows otherwise."""
    opts = instance._meta
    values = {
        name: getattr(instance, opts.get_field(name).attname)
        for name in names
        if name not in overrides
    }
    return {**values, **overrides}
