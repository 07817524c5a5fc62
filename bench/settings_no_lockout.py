"""The production settings with django-axes switched off, as the site was before the lockout
(bench/login_flood.py --no-lockout)."""

from site_project.settings import *  # noqa: F403

AXES_ENABLED = False
