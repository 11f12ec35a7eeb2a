"""The application's frame: factory, templates and static files, deny-by-default, error pages."""

from __future__ import annotations

from flask import render_template_string
from werkzeug.routing import IntegerConverter

from ops.web import PUBLIC_ENDPOINTS


def test_base_template_renders_and_static_files_are_served(app, client):
    with app.test_request_context("/"):
        html = render_template_string('{% extends "base.html" %}{% block content %}hello{% endblock %}')
    assert "hello" in html and "/static/css/ops.css" in html
    with client.get("/static/css/ops.css") as response:
        assert response.status_code == 200
        assert b"--brand" in response.data


def test_login_page_is_served_with_its_assets(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert b'name="username"' in response.data and b'name="password"' in response.data
    assert b"cdn" not in response.data.lower()


def _sample_args(rule) -> dict:
    return {
        name: 1
        if isinstance(rule._converters[name], IntegerConverter)
        else sorted(getattr(rule._converters[name], "items", None) or ["x"])[0]
        for name in rule.arguments
    }


def test_every_endpoint_refuses_anonymous_users_unless_allow_listed(app, client):
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        path = rule.build(_sample_args(rule), append_unknown=False)[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(path, method=method)
            assert response.status_code in (302, 401), f"{method} {path} answered {response.status_code}"
            if response.status_code == 302:
                assert "/login" in response.headers["Location"], f"{method} {path}"
            checked += 1
    assert checked > 10


def test_allow_list_is_short_and_explicit():
    assert PUBLIC_ENDPOINTS == {"static", "auth.login", "auth.two_factor", "main.health", "main.set_language"}


def test_404_answers_html_with_request_id_and_json_for_json_clients(client, make_user, login_as):
    login_as(make_user())
    page = client.get("/no/such/page")
    assert page.status_code == 404
    assert page.headers["X-Request-ID"].encode() in page.data
    api = client.get("/no/such/page", headers={"Accept": "application/json"})
    assert api.status_code == 404
    assert api.content_type == "application/problem+json"
    assert api.json["status"] == 404 and api.json["request_id"]


def test_unexpected_error_shows_no_stack_trace(app, client, make_user, login_as):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/boom-for-test")
    def boom():
        raise RuntimeError("secret internals")

    login_as(make_user())
    response = client.get("/boom-for-test")
    assert response.status_code == 500
    assert b"secret internals" not in response.data and b"Traceback" not in response.data
    assert response.headers["X-Request-ID"].encode() in response.data


def test_a_nul_character_in_any_field_is_a_clear_400(client, make_user, login_as):
    # found on PostgreSQL, which refuses NUL in text: it must never become a 500
    login_as(make_user(role="analyst"))
    assert client.get("/search?location=a%00b").status_code == 400
    assert client.post("/login", data={"username": "a\x00b", "password": "x"}).status_code == 400
