"""A page's form as a browser would send it: every field with its current value (no JavaScript involved)."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, which: str):
        super().__init__(convert_charrefs=True)
        self.which = which
        self.inside = False
        self.templates = 0  # inside <template>: rows for a script to copy, never sent
        self.fields: list[tuple[str, str]] = []
        self._select: tuple[str, list[str], str | None] | None = None  # name, selected values, the first option
        self._textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs) -> None:
        found = dict(attrs)
        if (
            tag == "form"
            and not self.fields
            and (self.which in (found.get("action") or "") or found.get("id") == self.which)
        ):
            self.inside = True
        if tag == "template":
            self.templates += 1
        if not self.inside or self.templates:
            return
        if tag == "input":
            self._input(found)
        elif tag == "select" and found.get("name"):
            self._select = (found["name"], [], None)
        elif tag == "option" and self._select:
            name, chosen, first = self._select
            value = found.get("value", "")
            picked = chosen + ([value] if "selected" in found else [])
            self._select = (name, picked, first if first is not None else value)
        elif tag == "textarea" and found.get("name"):
            self._textarea = (found["name"], [])

    def _input(self, found: dict) -> None:
        kind, name = (found.get("type") or "text").lower(), found.get("name")
        if not name or kind in {"submit", "button", "file", "image", "reset"}:
            return
        if kind in {"checkbox", "radio"} and "checked" not in found:
            return
        self.fields.append((name, found.get("value", "on" if kind == "checkbox" else "")))

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self._textarea[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "template":
            self.templates -= 1
        elif tag == "form" and self.inside:
            self.inside = False
        elif tag == "select" and self._select:
            name, chosen, first = self._select
            self.fields += [(name, value) for value in (chosen or ([first] if first is not None else []))]
            self._select = None
        elif tag == "textarea" and self._textarea:
            name, parts = self._textarea
            text = "".join(parts)  # a newline right after <textarea> is not part of the value
            self.fields.append((name, text[2:] if text.startswith("\r\n") else text.removeprefix("\n")))
            self._textarea = None


def fields(html: str, which: str) -> list[tuple[str, str]]:
    """The fields of the first form whose action contains `which`, or whose id is `which`, in page order, as a
    browser posts them."""
    reader = _FormReader(which)
    reader.feed(html)
    return reader.fields


def replaced(found: list[tuple[str, str]], name: str, value: str) -> list[tuple[str, str]]:
    return [(n, value if n == name else v) for n, v in found]
