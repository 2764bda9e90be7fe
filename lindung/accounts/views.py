from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lindung.accounts import selectors, services
from lindung.accounts.forms import LoginForm, OwnPasswordForm, PasswordResetForm, UserForm
from lindung.lib.errors import ApplicationError
from lindung.lib.forms import add_service_error


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def _require_manager(user):
    if not user.can_manage_users:
        raise Http404


@login_required
def user_list(request):
    _require_manager(request.user)
    query = request.GET.get("q", "").strip()
    page = Paginator(selectors.user_list(user=request.user, query=query), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "accounts/user_list.html", {"page": page, "query": query})


@login_required
def user_create(request):
    _require_manager(request.user)
    form = UserForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Account %(name)s created.") % {"name": user.username})
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form, "creating": True})


@login_required
def user_detail(request, pk):
    _require_manager(request.user)
    target = selectors.user_get(user=request.user, pk=pk)
    if target is None:
        raise Http404
    initial = {
        "username": target.username,
        "first_name": target.first_name,
        "email": target.email,
        "phone": target.phone,
        "organisation": target.organisation,
        "role": target.role,
        "jurisdiction": target.jurisdiction_id or "",
    }
    form = UserForm(
        request.POST if request.method == "POST" else None, initial=initial, editing=True
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "username"}
        try:
            changes = services.user_update(actor=request.user, user=target, data=data)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            if changes:
                messages.success(request, _("Changes saved."))
            return redirect("accounts:user_detail", pk=target.pk)
    context = {"form": form, "target": target, "password_form": PasswordResetForm()}
    return render(request, "accounts/user_form.html", context)


@login_required
@require_POST
def user_set_active(request, pk):
    _require_manager(request.user)
    target = selectors.user_get(user=request.user, pk=pk)
    if target is None:
        raise Http404
    active = request.POST.get("active") == "1"
    try:
        services.user_set_active(actor=request.user, user=target, active=active)
    except ApplicationError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Account activated.") if active else _("Account deactivated."))
    return redirect("accounts:user_detail", pk=target.pk)


@login_required
@require_POST
def user_reset_password(request, pk):
    _require_manager(request.user)
    target = selectors.user_get(user=request.user, pk=pk)
    if target is None:
        raise Http404
    form = PasswordResetForm(request.POST)
    if form.is_valid():
        try:
            services.user_set_password(
                actor=request.user, user=target, password=form.cleaned_data["password"]
            )
        except ApplicationError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Password reset."))
    else:
        messages.error(request, _("Type a new password."))
    return redirect("accounts:user_detail", pk=target.pk)


@login_required
def password_change(request):
    """Every user changes their own password; their other sessions end, this one stays."""
    form = OwnPasswordForm(request.user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_password(
                actor=request.user,
                user=request.user,
                password=form.cleaned_data["new_password1"],
            )
        except ApplicationError as error:
            form.add_error("new_password1", str(error.message))
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password is changed."))
            return redirect("home")
    return render(request, "accounts/password_change.html", {"form": form})
