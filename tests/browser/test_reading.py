"""What a reader sees, measured in Chromium: the header, code blocks, maths, learnings, print.

Each test opens the demo site (tests/browser/conftest.py) in a tab of its own and measures
the rendered page, in the configuration the point is about.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import WIDTHS

# django_db: the demo site lives in the test database (see conftest.demo_site).
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# WCAG's contrast ratio of two "rgb(r, g, b)" colours, computed in the page.
CONTRAST_JS = """
([a, b]) => {
  const lum = (css) => {
    const [r, g, b] = css.match(/[\\d.]+/g).slice(0, 3).map(Number).map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}
"""


# What the hardening issue will send: the site's own script and styles, nothing inline.
STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


@pytest.fixture
def open_page(chromium, demo_site):
    """open_page(name, width=375, scheme="light", csp=False, **context options) -> a page.

    With `csp`, every answer carries STRICT_CSP and the page's `csp_violations` lists what
    Chromium reported."""
    base, pages = demo_site
    paths = {page.name: page.path for page in pages}
    contexts = []

    def opener(name: str, width: int = 375, scheme: str = "light", csp: bool = False, **options):
        context = chromium.new_context(
            viewport={"width": width, "height": WIDTHS[width]}, color_scheme=scheme, **options
        )
        contexts.append(context)
        tab = context.new_page()
        tab.csp_violations = []
        if csp:

            def strict(route):
                response = route.fetch()
                headers = {**response.headers, "content-security-policy": STRICT_CSP}
                route.fulfill(response=response, headers=headers)

            context.route(f"{base}/**", strict)
            tab.on(
                "console",
                lambda m: (
                    tab.csp_violations.append(m.text) if "Content Security" in m.text else None
                ),
            )
        tab.goto(base + paths.get(name, name))
        return tab

    yield opener
    for context in contexts:
        context.close()


class TestHeader:
    @pytest.mark.parametrize("name", ["home", "post", "search"])
    def test_fits_two_short_rows_on_a_phone(self, open_page, name):
        tab = open_page(name)
        assert tab.evaluate("document.querySelector('.site-header').offsetHeight") <= 110
        tops = tab.evaluate("[...document.querySelectorAll('.nav li')].map(li => li.offsetTop)")
        assert len(tops) == 5 and len(set(tops)) == 1  # every section on one row
        assert tab.evaluate("document.documentElement.scrollWidth") <= 375

    def test_the_search_page_has_one_search_box(self, open_page):
        tab = open_page("search-results")
        assert tab.locator("input[type=search]").count() == 1
        assert tab.locator("[role=search]").count() == 1


class TestCodeBlocks:
    @pytest.mark.parametrize("scheme", ["light", "dark"])
    def test_the_block_stands_out_from_the_page(self, open_page, scheme):
        tab = open_page("post", 1280, scheme)
        colours = tab.evaluate(
            """[getComputedStyle(document.querySelector('.codeblock')).borderTopColor,
                getComputedStyle(document.body).backgroundColor]"""
        )
        assert tab.evaluate(CONTRAST_JS, colours) >= 1.2, colours

    def test_the_language_label_sits_above_the_code(self, open_page):
        tab = open_page("post")
        for block in tab.locator(".codeblock[data-lang]").all():
            label = block.locator(".codeblock-lang").bounding_box()
            code = block.locator("pre").bounding_box()
            assert label["y"] + label["height"] <= code["y"] + 0.5

    def test_only_blocks_that_overflow_are_named_tab_stops_with_a_scroll_hint(self, open_page):
        tab = open_page("post", 1280)
        boxes = tab.evaluate(
            """[...document.querySelectorAll('.codeblock pre, .math-display')].map(el => ({
                overflows: el.scrollWidth > el.clientWidth + 1,
                tabindex: el.getAttribute('tabindex'), role: el.getAttribute('role'),
                label: el.getAttribute('aria-label'),
                shadow: getComputedStyle(el).boxShadow}))"""
        )
        assert any(box["overflows"] for box in boxes) and not all(b["overflows"] for b in boxes)
        for box in boxes:
            if box["overflows"]:
                assert box["tabindex"] == "0" and box["role"] == "group" and box["label"], box
                assert box["shadow"] != "none", box
            else:
                assert box["tabindex"] is None and box["role"] is None, box
                assert box["shadow"] == "none", box

    def test_the_copy_button_copies_with_the_keyboard_and_says_so(self, open_page):
        # Under a strict Content Security Policy: the script is a static file, nothing inline.
        tab = open_page("post", csp=True, permissions=["clipboard-read", "clipboard-write"])
        block = tab.locator(".codeblock[data-lang]").first
        button = block.get_by_role("button", name="Copy")
        assert button.get_attribute("aria-label").startswith("Copy ")
        button.focus()
        tab.keyboard.press("Enter")
        tab.get_by_role("status").filter(has_text="Copied").wait_for(timeout=5000)
        assert button.inner_text() == "Copied"
        copied = tab.evaluate("navigator.clipboard.readText()")
        assert copied == block.locator("pre code").text_content()
        assert tab.csp_violations == []

    def test_without_javascript_nothing_changes(self, demo_site, chromium):
        base, pages = demo_site
        post = next(page.path for page in pages if page.name == "post")
        text = {}
        for enabled in (True, False):
            context = chromium.new_context(java_script_enabled=enabled)
            tab = context.new_page()
            tab.goto(base + post)
            assert (tab.locator(".codeblock-copy").count() > 0) is enabled
            # What the script adds is the buttons; without them the article reads the same.
            tab.locator(".codeblock-copy").evaluate_all(
                "buttons => buttons.forEach(b => b.remove())"
            )
            text[enabled] = " ".join(tab.locator("article").inner_text().split())
            context.close()
        assert text[True] == text[False]


class TestMaths:
    def test_display_formulas_are_centred_at_text_size_in_a_maths_font(self, open_page):
        tab = open_page("post", 1280)
        found = tab.evaluate(
            """[...document.querySelectorAll('.math-display')].map(box => {
                const math = box.querySelector('math'), b = box.getBoundingClientRect(),
                      m = math.getBoundingClientRect(), style = getComputedStyle(math);
                return {fits: box.scrollWidth <= box.clientWidth,
                        offset: Math.abs((m.left + m.right) / 2 - (b.left + b.right) / 2),
                        size: parseFloat(style.fontSize), family: style.fontFamily,
                        clipped: box.scrollHeight > box.clientHeight,
                        text: parseFloat(getComputedStyle(box.parentElement).fontSize)};
            })"""
        )
        assert found
        for formula in found:
            assert formula["family"].startswith("math"), formula
            assert formula["size"] >= formula["text"], formula
            assert not formula["clipped"], formula
            if formula["fits"]:
                assert formula["offset"] < 2, formula

    def test_inline_maths_sits_on_the_text_baseline(self, open_page):
        tab = open_page("post", 1280)
        shift = tab.evaluate(
            """(() => {
                const math = document.querySelector('p > math'), p = math.parentElement;
                const probe = document.createElement('span');
                probe.textContent = 'x';
                math.after(probe);
                const a = math.getBoundingClientRect(), b = probe.getBoundingClientRect();
                probe.remove();
                const overlaps = a.top <= b.bottom && a.bottom >= b.top;
                return getComputedStyle(math).verticalAlign + ':' + overlaps;
            })()"""
        )
        assert shift == "baseline:true"


class TestLearnings:
    def test_the_list_folds_each_answer_under_its_question(self, open_page):
        tab = open_page("learnings", 1280)
        details = tab.locator("details.learning")
        assert details.count() > 5
        assert tab.locator("details.learning[open]").count() == 0
        first = details.first
        assert not first.locator(".learning-answer").is_visible()
        first.locator("summary").click()
        assert first.locator(".learning-answer").is_visible()

    def test_a_day_page_shows_every_answer_under_an_h1(self, open_page):
        tab = open_page("learning-day", 1280)
        assert tab.locator("h1").count() == 1
        assert tab.locator("details").count() == 0
        assert tab.locator("article.learning .prose").first.is_visible()

    def test_sources_show_the_domain_and_path(self, open_page):
        tab = open_page("learning-day", 1280)
        link = tab.locator(".sources a").first
        href, text = link.get_attribute("href"), link.inner_text()
        assert href.startswith("https://") and not text.startswith("http")
        assert text.split("/", 1)[0] in href


class TestPrint:
    def test_print_uses_the_light_code_theme_and_prints_no_address_twice(self, open_page):
        tab = open_page("learning-day", 1280, "dark")
        tab.emulate_media(media="print")
        background = tab.evaluate(
            "getComputedStyle(document.querySelector('.codeblock pre')).backgroundColor"
        )
        assert background == "rgb(248, 248, 248)"  # Pygments' light theme
        after = tab.evaluate(
            """[...document.querySelectorAll('article a[href^="http"]')].map(a =>
                [a.classList.contains('url'), getComputedStyle(a, '::after').content])"""
        )
        assert any(is_url for is_url, _ in after)
        for is_url, content in after:
            assert (content == "none") is is_url, (is_url, content)


def test_one_stylesheet_and_one_script(open_page):
    tab = open_page("home")
    assert tab.locator("link[rel=stylesheet]").count() == 1
    assert tab.locator("script[src]").count() == 1
    assert tab.locator("script:not([src]):not([type='application/ld+json'])").count() == 0
    assert tab.locator("[style]").count() == 0
