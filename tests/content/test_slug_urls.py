"""`slug_url`: reverse() for one-slug views, resolved once per view."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from content.slugs import slug_url


def test_the_same_as_reverse():
    for view, slug in [("posts:detail", "caching-pages-2"), ("tag_detail", "c_plus_plus")]:
        assert slug_url(view, slug) == reverse(view, kwargs={"slug": slug})


def test_a_slug_the_url_cannot_hold_fails_as_reverse_does():
    with pytest.raises(NoReverseMatch):
        slug_url("tag_detail", "café")


def test_a_script_prefix_is_honoured():
    try:
        set_script_prefix("/blog/")
        assert slug_url("notes:detail", "a-note") == "/blog/notes/a-note/"
    finally:
        set_script_prefix("/")
