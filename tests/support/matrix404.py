"""The 404 matrix: every method of every rule given, called by a signed-in user, and what each answered.

A reader who must not learn that a record exists (a programme officer, a counterpart office's people)
gets 404 from every endpoint of what they may not read. The tests take the rules from app.url_map,
never from a hand list, and assert that no answer is anything but 404.
"""

from __future__ import annotations

from flask import url_for

# the values of the rules' arguments that are not ids: an export's format, an operation form's step
SAMPLE_VALUES = {"fmt": "csv", "step": "submit"}


def rule_url(app, rule, ids: dict) -> str:
    """The rule's URL with the sample ids (an argument with no sample gets 1)."""
    values = {name: SAMPLE_VALUES.get(name, ids.get(name, 1)) for name in rule.arguments}
    with app.test_request_context():
        return url_for(rule.endpoint, **values)


def answers(app, client, api, rules, ids: dict) -> dict[tuple[str, str], int]:
    """(endpoint, method) -> status: the API's rules called with the API client (a JSON body on writes),
    the others with the signed-in browser client; every call searches for "heroin"."""
    found = {}
    for rule in rules:
        url = rule_url(app, rule, ids)
        caller = api if rule.endpoint.startswith("api.") else client
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            kwargs = {"json": {}} if rule.endpoint.startswith("api.") and method != "GET" else {}
            response = caller.open(url, method=method, query_string={"q": "heroin"}, **kwargs)
            found[(rule.endpoint, method)] = response.status_code
            response.close()
    return found
