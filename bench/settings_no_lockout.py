"""The production settings without the sign-in protections (django-axes off, no guard
middleware), as the site was before them: bench/login_flood.py --no-lockout."""

from site_project.settings import *  # noqa: F403
from site_project.settings import MIDDLEWARE

AXES_ENABLED = False
MIDDLEWARE = [name for name in MIDDLEWARE if name != "accounts.middleware.SignInGuardMiddleware"]
