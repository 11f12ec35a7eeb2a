"""JSON API v1. Every answer is filtered by ops/policy.py and audited like the pages."""

from __future__ import annotations

from flask import current_app, jsonify, request
from flask_login import current_user

from ops import policy
from ops.api import bodies, params, services, writes
from ops.api import search as api_search
from ops.api.blueprint import bp
from ops.api.openapi import document
from ops.api.problems import ApiError, handle_api_error
from ops.api.schemas import HitPublic, InboxItemPublic, InboxPage, LookupAnswer, OperationPage, SeizurePage
from ops.db import session
from ops.hits import services as hits
from ops.inbox import present as inbox_present
from ops.inbox import services as inbox
from ops.models import Operation
from ops.search import services as search_services

bp.register_error_handler(ApiError, handle_api_error)


def _json(model, status: int = 200, headers: dict | None = None):
    response = current_app.response_class(model.model_dump_json(), status=status, mimetype="application/json")
    response.headers.update(headers or {})
    return response


@bp.get("/openapi.json")
def openapi():
    return jsonify(document())


@bp.get("/operations")
def operations():
    policy.require(current_user, "search")
    conditions = params.operation_conditions()
    items, cursor = services.list_operations(current_user, conditions, params.limit(), request.args.get("cursor"))
    return _json(OperationPage(items=items, next_cursor=cursor))


@bp.get("/seizures")
def seizures():
    policy.require(current_user, "search")
    conditions = params.seizure_conditions()
    items, cursor = services.list_seizures(current_user, conditions, params.limit(), request.args.get("cursor"))
    return _json(SeizurePage(items=items, next_cursor=cursor))


def load_for_api(operation_id: int, action: str = "view") -> Operation:
    return policy.load_operation(session(), operation_id, current_user, action)


@bp.get("/operations/<int:operation_id>")
def operation(operation_id: int):
    op = load_for_api(operation_id)
    return _json(services.operation_detail(current_user, op), headers={"ETag": f'"{op.version}"'})


@bp.post("/operations")
def create_operation():
    policy.require(current_user, "create")
    op = writes.create(bodies.json_body())
    detail = services.operation_detail(current_user, op)
    return _json(detail, 201, {"ETag": f'"{op.version}"', "Location": writes.location(op)})


@bp.put("/operations/<int:operation_id>")
def update_operation(operation_id: int):
    op = load_for_api(operation_id)
    writes.update(op, bodies.json_body())
    session().refresh(op)
    return _json(services.operation_detail(current_user, op), headers={"ETag": f'"{op.version}"'})


@bp.put("/operations/<int:operation_id>/handling")
def operation_handling(operation_id: int):
    op = load_for_api(operation_id)
    writes.change_handling(op, bodies.json_body())
    session().refresh(op)
    return _json(services.operation_detail(current_user, op), headers={"ETag": f'"{op.version}"'})


@bp.post("/operations/<int:operation_id>/<any(submit, return, approve):step>")
def operation_step(operation_id: int, step: str):
    op = load_for_api(operation_id)
    writes.transition(op, step, bodies.json_body() if request.data else {})  # the body is optional, not any bytes
    session().refresh(op)
    return _json(services.operation_detail(current_user, op), headers={"ETag": f'"{op.version}"'})


@bp.get("/search")
def search():
    policy.require(current_user, "search")
    return _json(api_search.search_page())


@bp.get("/export.csv")
def export_csv():
    policy.require(current_user, "export")
    return api_search.export_csv()


@bp.get("/inbox")
def inbox_list():
    """The caller's inbox, unread first (reading the list marks nothing read)."""
    db = session()
    pages = request.args.getlist("page")
    if len(pages) > 1 or (pages and not (pages[0].isdigit() and 1 <= int(pages[0]) <= 100000)):
        raise ApiError(400, "invalid page", [{"field": "page", "message": "one whole number from 1 to 100000"}])
    found = inbox.page(db, current_user, int(pages[0]) if pages else 1)
    items = [
        InboxItemPublic(
            id=item.id,
            kind=item.kind,
            title=inbox_present.title(item),
            message=inbox_present.message(item),
            link=item.link,
            created_at=item.created_at,
            read_at=item.read_at,
        )
        for item in found.items
    ]
    unread = inbox.unread_count(db, current_user)
    return _json(InboxPage(items=items, total=found.total, unread=unread, page=found.number, pages=found.pages))


@bp.get("/lookup")
def lookup():
    """The identifier lookup: readable records, and with a purpose, hits in other agencies' records."""
    policy.require(current_user, "search")
    value, purpose = (request.args.get("value") or "").strip(), request.args.get("purpose")
    if not 2 <= len(value) <= 160:
        raise ApiError(422, "invalid value", [{"field": "value", "message": "2 to 160 characters"}])
    db = session()
    readable = search_services.lookup(db, current_user, value)
    found, note = None, None
    if purpose is not None:
        try:
            found = hits.look_up(db, current_user, value, purpose)
        except hits.Refused as error:
            if error.reason == "not_identifier":  # a valid question with no hits to give: said, not refused
                note = str(error)
            else:
                status = {"limit": 429, "role": 403}.get(error.reason, 422)
                raise ApiError(status, "lookup refused", [{"field": "purpose", "message": str(error)}]) from None
    answer = LookupAnswer(
        value=value,
        readable=[operation.ref for operation, _what in readable.hits],
        hits=[HitPublic(agency=h.agency, year=h.year, match_on=h.kinds, token=h.token) for h in found.hits]
        if found
        else [],
        lookups_today=found.used_today if found else hits.used_today(db, current_user),
        daily_limit=hits.daily_limit(),
        note=note,
    )
    return _json(answer)
