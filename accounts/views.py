"""The two-factor pages, inside the admin's look: set up (or move to a new phone), and new
recovery codes. Both need a staff session; the codes need that session's second factor."""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts import twofactor
from accounts.forms import ConfirmDeviceForm


def _context(request: HttpRequest, title: str, **extra) -> dict:
    return {**admin.site.each_context(request), "title": title, **extra}


def _codes_page(request: HttpRequest, codes: list[str]) -> HttpResponse:
    context = _context(request, "Your recovery codes", codes=codes)
    return render(request, "accounts/recovery_codes.html", context)


@never_cache
@staff_member_required
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    user = request.user
    enabled = twofactor.has_second_factor(user)
    if enabled and not user.is_verified():
        # A session that began before the second factor existed: sign in again, with it.
        logout(request)
        messages.info(request, "Sign in again with your two-factor code.")
        return redirect(f"{reverse('admin:login')}?next={reverse('accounts:two_factor')}")
    device = twofactor.pending_device(user)
    form = ConfirmDeviceForm(device, request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = twofactor.activate(request, device)
        messages.success(request, "Two-factor sign-in is on.")
        return _codes_page(request, codes)
    context = _context(
        request,
        "Two-factor sign-in",
        form=form,
        enabled=enabled,
        required=settings.ADMIN_REQUIRE_2FA,
        qr_code=twofactor.qr_code(device),
        secret=twofactor.secret(device),
        codes_left=twofactor.recovery_codes_left(user) if enabled else 0,
    )
    return render(request, "accounts/two_factor.html", context)


@never_cache
@staff_member_required
@require_POST
def recovery_codes(request: HttpRequest) -> HttpResponse:
    if not (twofactor.has_second_factor(request.user) and request.user.is_verified()):
        return redirect("accounts:two_factor")
    return _codes_page(request, twofactor.new_recovery_codes(request.user))
