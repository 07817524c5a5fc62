"""The one security header Django has no setting for. The others come from settings:
SecurityMiddleware (HSTS, nosniff, Referrer-Policy, Cross-Origin-Opener-Policy), Django's CSP
middleware (SECURE_CSP) and django-permissions-policy (PERMISSIONS_POLICY)."""

from django.http import HttpRequest, HttpResponse


class ResourcePolicyMiddleware:
    """Cross-Origin-Resource-Policy: other sites may not load the site's responses into their
    own pages (a Spectre-style read of an admin page, say). Uploaded images answer
    `cross-origin` themselves, so web feed readers still show them in full-content feeds."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response
