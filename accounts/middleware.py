from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect
from django.urls import reverse

from accounts.lockout import (
    client_ip,
    known_lockout_ends,
    locked_out,
    password_check_slot,
    sign_in_busy,
)

# What a staff session without its second factor may still reach.
ALWAYS_OPEN = {"accounts:two_factor", "admin:logout", "admin:login", "admin:jsi18n"}


class TwoFactorRequiredMiddleware:
    """With ADMIN_REQUIRE_2FA, a staff session signed in with a password alone can set up
    two-factor sign-in or sign out, and nothing else: admin pages lead to the setup page,
    and any other change (the editor's preview and uploads) is refused."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if not settings.ADMIN_REQUIRE_2FA:
            return None
        user = request.user
        if not (user.is_authenticated and user.is_staff) or user.is_verified():
            return None
        name = request.resolver_match.view_name
        if name in ALWAYS_OPEN:
            return None
        if name.startswith("admin:"):
            messages.info(request, "This site requires two-factor sign-in for the editor.")
            return redirect("accounts:two_factor")
        if request.method not in ("GET", "HEAD"):
            return HttpResponseForbidden(
                "Two-factor sign-in is required: set it up in the admin first.",
                content_type="text/plain; charset=utf-8",
            )
        return None


class SignInGuardMiddleware:
    """Bounds what sign-in attempts cost the server, however many arrive:

    - a locked-out username or address is answered before the sign-in view runs: no form,
      no password hash, one query (none while the lockout is remembered) and the lockout page
      (axes's authentication backend refuses it too, for any other way in);
    - at most PASSWORD_CHECKS_AT_ONCE passwords are checked at a time across all workers; an
      attempt beyond that is asked to retry in a few seconds, unchecked and uncounted. So
      guesses from many usernames and addresses, which no lockout stops, still leave the
      other workers and CPU to readers."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST" or request.path_info != reverse("admin:login"):
            return self.get_response(request)
        # As posted: NUL is removed (PostgreSQL refuses it), the length is the form's to judge.
        credentials = {"username": request.POST.get("username", "").replace("\0", "")}
        if ends := known_lockout_ends(credentials["username"], client_ip(request)):
            return locked_out(request, None, credentials, ends)
        with password_check_slot() as granted:
            return self.get_response(request) if granted else sign_in_busy(request)
