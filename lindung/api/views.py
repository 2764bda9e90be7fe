"""The account page of API tokens: a user makes (seen once), lists and revokes their own."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lindung.api import selectors, services
from lindung.api.forms import TokenForm
from lindung.lib.errors import ApplicationError


@login_required
def token_list(request):
    form = TokenForm(request.POST if request.method == "POST" else None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            _row, new_token = services.api_token_create(
                actor=request.user,
                user=request.user,
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
            )
        except ApplicationError as error:
            form.add_error(None, str(error.message))
        else:
            form = TokenForm()
    context = {
        "form": form,
        "new_token": new_token,
        "tokens": selectors.api_token_list(user=request.user),
    }
    return render(request, "api/token_list.html", context)


@login_required
@require_POST
def token_revoke(request, pk):
    token = selectors.api_token_get(user=request.user, pk=pk)
    if token is None:
        raise Http404
    try:
        services.api_token_revoke(actor=request.user, token=token)
    except ApplicationError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The token is revoked: it no longer works."))
    return redirect("api:token_list")
