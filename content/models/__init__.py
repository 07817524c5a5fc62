"""The content models: `Publishable` (the abstract base of the kinds) and `Tag`."""

from content.models.publishable import HOME_ITEMS, Publishable, content_models, site_url
from content.models.tags import Tag
from content.querysets import Status

__all__ = ["HOME_ITEMS", "Publishable", "Status", "Tag", "content_models", "site_url"]
