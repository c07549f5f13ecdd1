"""The inertness check of rendered HTML shared by the hostile-input tests (unit and browser): no element a
payload could have brought runs anything."""
from __future__ import annotations

from html.parser import HTMLParser


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "img", "style", "form", "base", "meta", "link"}


def assert_inert(html_text: str, allowed_tags: set[str] = frozenset()) -> None:
    """No element a payload could have brought runs anything: no script-like tags, no on* handlers,
    no javascript: URLs (the workbook's own markup may use ``allowed_tags``)."""
    parser = _Tags()
    parser.feed(html_text)
    for tag, attrs in parser.tags:
        assert tag not in DANGEROUS_TAGS - set(allowed_tags), f"<{tag}> in {html_text[:300]!r}"
        for name, value in attrs:
            assert not name.lower().startswith("on"), f"{name}= on <{tag}>"
            assert not (value or "").strip().lower().startswith(("javascript:", "data:", "vbscript:")), f"{name}={value!r}"
