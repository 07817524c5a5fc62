"""The content models: `Publishable` (the abstract base of the kinds), `Tag`, and the
`ContentVersion` that caches key on."""

from content.models.publishable import Publishable, content_models, site_url
from content.models.tags import Tag
from content.models.version import ContentVersion
from content.querysets import Status

__all__ = [
    "ContentVersion",
    "Publishable",
    "Status",
    "Tag",
    "content_models",
    "site_url",
]
