"""Security headers on every response, and templates without inline scripts, styles or handlers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from werkzeug.routing import IntegerConverter

from ops.config import PROJECT_ROOT
from tests.support.accounts import login

TEMPLATES = PROJECT_ROOT / "templates"


def _sample_path(rule) -> str:
    args = {
        name: 1
        if isinstance(rule._converters[name], IntegerConverter)
        else sorted(getattr(rule._converters[name], "items", None) or ["x"])[0]
        for name in rule.arguments
    }
    return rule.build(args, append_unknown=False)[1]


def _get_rules(app):
    return sorted((rule for rule in app.url_map.iter_rules() if "GET" in rule.methods), key=lambda r: r.rule)


def _check_common(response, where: str) -> None:
    headers = response.headers
    csp = headers.get("Content-Security-Policy", "")
    assert csp, where
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, where
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "style-src 'self'" in csp, where
    assert "object-src 'none'" in csp, where
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("Referrer-Policy") in ("same-origin", "no-referrer", "strict-origin"), where
    assert headers.get("X-Frame-Options") == "DENY", where


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_every_get_route_answers_with_the_security_headers(app, client, make_user, scheme):
    login(client, make_user(role="admin", is_sysadmin=True))
    base_url = f"{scheme}://localhost"
    checked = ok = 0
    for rule in _get_rules(app):
        path = "/static/css/ops.css" if rule.endpoint == "static" else _sample_path(rule)
        response = client.get(path, base_url=base_url)
        where = f"GET {path} -> {response.status_code}"
        assert response.status_code < 500, where
        _check_common(response, where)
        hsts = response.headers.get("Strict-Transport-Security", "")
        assert ("max-age=" in hsts) is (scheme == "https"), where
        if rule.endpoint != "static":
            assert response.headers.get("Cache-Control") == "no-store", where
        assert "/login" not in response.headers.get("Location", ""), where  # signed in: real pages
        response.close()  # static files are streamed from an open file
        checked, ok = checked + 1, ok + (response.status_code == 200)
    assert checked >= 10 and ok >= 10


def test_anonymous_pages_and_errors_carry_the_headers_too(client):
    for path in ("/login", "/two-factor", "/healthz", "/no/such/page", "/account"):
        response = client.get(path)
        _check_common(response, f"GET {path} -> {response.status_code}")
        assert response.headers.get("Cache-Control") == "no-store", path


# --- templates -------------------------------------------------------------------------------

_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)\b((?:[^>{]|\{\{.*?\}\}|\{%.*?%\})*)>", re.S)
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)


def inline_code_problems(html: str) -> list[str]:
    """What in this template text the Content-Security-Policy would block (or what invites XSS)."""
    problems = []
    for attrs, body in _SCRIPT.findall(html):
        if "src=" not in attrs or body.strip():
            problems.append("inline <script> body")
    if re.search(r"<style\b", html, re.I):
        problems.append("<style> element")
    for name, attrs in _TAG.findall(html):
        if re.search(r"(?:^|[\s}])style\s*=", attrs, re.I):
            problems.append(f"style= attribute on <{name}>")
        handler = re.search(r"(?:^|[\s}])(on[a-z]+)\s*=", attrs, re.I)
        if handler:
            problems.append(f"{handler.group(1)}= handler on <{name}>")
        if re.search(r"javascript:", attrs, re.I):
            problems.append(f"javascript: URL on <{name}>")
    return problems


@pytest.mark.parametrize(
    "snippet",
    [
        "<script>alert(1)</script>",
        '<script src="/static/js/ops.js">alert(1)</script>',
        '<div class="x" style="color: red">',
        '<button type="button" onclick="go()">',
        '<body onload="x()">',
        '<a href="javascript:void(0)">',
        "<style>p { color: red }</style>",
        '<p {% if x %}style="a"{% endif %}>',
    ],
)
def test_the_template_check_finds_inline_code(snippet):
    assert inline_code_problems(snippet)


def test_the_template_check_leaves_clean_markup_alone():
    clean = (
        "<script src=\"{{ url_for('static', filename='js/ops.js') }}\" defer></script>"
        '<button type="submit" data-confirm="{{ _(\'Sure?\') }}">Go</button><p class="online">one</p>'
    )
    assert inline_code_problems(clean) == []


def test_no_template_contains_inline_scripts_styles_or_handlers():
    templates = sorted(TEMPLATES.rglob("*.html"))
    assert len(templates) >= 10
    problems = {str(path.relative_to(TEMPLATES)): inline_code_problems(path.read_text()) for path in templates}
    assert {name: found for name, found in problems.items() if found} == {}


@pytest.mark.parametrize(
    "name,mimetype", [("js/ops.js", "text/javascript"), ("css/ops.css", "text/css")], ids=["script", "style"]
)
def test_static_javascript_and_css_are_served_by_the_app(client, name, mimetype):
    response = client.get(f"/static/{name}")
    assert response.status_code == 200 and response.mimetype == mimetype
    assert response.get_data() == (PROJECT_ROOT / "static" / name).read_bytes()
    response.close()


def test_templates_load_nothing_from_outside_the_app():
    for path in TEMPLATES.rglob("*.html"):
        text = Path(path).read_text()
        assert not re.search(r"""(src|href)=["']https?://""", text), path
