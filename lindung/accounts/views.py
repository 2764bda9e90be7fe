import io

import segno
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from lindung.accounts import selectors, services, two_factor
from lindung.accounts.forms import (
    LoginForm,
    OwnPasswordForm,
    PasswordResetForm,
    TwoFactorCodeForm,
    UserForm,
)
from lindung.audit.middleware import client_ip
from lindung.lib.editing import form_page, or_404
from lindung.lib.errors import ApplicationError
from lindung.lib.forms import add_service_error


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def _require_manager(user):
    if not user.can_manage_users:
        raise Http404


def _managed_user(request, pk):
    """The account a manager of accounts opens, if within their reach; else Not Found."""
    _require_manager(request.user)
    return or_404(selectors.user_get(user=request.user, pk=pk))


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
    return form_page(
        request,
        UserForm(request.POST if request.method == "POST" else None),
        save=lambda d: services.user_create(actor=request.user, **d),
        done=lambda user: reverse("accounts:user_detail", args=[user.pk]),
        message=lambda user: _("Account %(name)s created.") % {"name": user.username},
        template="accounts/user_form.html",
        context={"creating": True},
    )


@login_required
def user_detail(request, pk):
    target = _managed_user(request, pk)
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
    return form_page(
        request,
        form,
        save=lambda d: services.user_update(
            actor=request.user, user=target, data={k: v for k, v in d.items() if k != "username"}
        ),
        done=lambda _changes: reverse("accounts:user_detail", args=[target.pk]),
        message=_("Changes saved."),
        quiet_if_unchanged=True,
        template="accounts/user_form.html",
        context={"target": target, "password_form": PasswordResetForm()},
    )


@login_required
@require_POST
def user_set_active(request, pk):
    target = _managed_user(request, pk)
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
    target = _managed_user(request, pk)
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
    form = OwnPasswordForm(
        request.user, request.POST if request.method == "POST" else None, ip=client_ip(request)
    )
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


def _next_url(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return url
    return reverse("home")


@login_required
def two_factor_verify(request):
    """The second step of signing in: a code from the authenticator or a recovery code."""
    if request.user.is_verified() or not two_factor.two_factor_enrolled(request.user):
        return redirect(_next_url(request))
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            kind = two_factor.two_factor_verify(request=request, code=form.cleaned_data["code"])
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            if kind == two_factor.RECOVERY:
                messages.warning(
                    request,
                    _("You used a recovery code; %(n)s are left. Each works only once.")
                    % {"n": two_factor.recovery_codes_left(request.user)},
                )
            return redirect(_next_url(request))
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request)}
    )


@login_required
def two_factor_enrol(request):
    """Enrol an authenticator app: scan the QR code (or type the key), confirm with a code."""
    device = two_factor.two_factor_pending(user=request.user)
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_factor.two_factor_enrol(
                user=request.user,
                device=device,
                code=form.cleaned_data["code"],
                ip=client_ip(request),
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            otp_login(request, device)
            return render(request, "accounts/two_factor_codes.html", {"codes": codes})
    context = {
        "form": form,
        "secret": two_factor.secret_base32(device),
        "enrolled": two_factor.two_factor_enrolled(request.user),
        "required": two_factor.two_factor_required(request.user),
    }
    return render(request, "accounts/two_factor_enrol.html", context)


@login_required
def two_factor_qr(request):
    """The QR code of the authenticator being enrolled, drawn as SVG here (no CDN, no script)."""
    device = two_factor.two_factor_pending(user=request.user)
    svg = io.BytesIO()
    # A standalone image needs the SVG namespace (svg_inline leaves it out).
    segno.make(two_factor.config_url(device), error="m").save(
        svg, kind="svg", scale=5, border=2, xmldecl=False
    )
    response = HttpResponse(svg.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def two_factor_recovery(request):
    """Ten new recovery codes (the old ones stop working), shown once."""
    try:
        codes = two_factor.two_factor_recovery_renew(user=request.user, ip=client_ip(request))
    except ApplicationError as error:
        messages.error(request, str(error.message))
        return redirect("accounts:two_factor_enrol")
    return render(request, "accounts/two_factor_codes.html", {"codes": codes})
