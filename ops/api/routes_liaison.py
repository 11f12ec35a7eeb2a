"""JSON API v1: releases to counterpart offices and heads-up messages.

The pages' services do the work (ops.liaison: the checks, the writes, the audit events) and ops/policy.py
decides who may: the lists are its SQL filters, each object is loaded by policy.load (404 for what the
caller may not see). A counterpart office's people reach these endpoints and the inbox, nothing else.
"""

from __future__ import annotations

from contextlib import contextmanager

from flask import current_app, url_for
from flask_login import current_user

from ops import policy
from ops.api import liaison, params
from ops.api.blueprint import bp
from ops.api.problems import ApiError
from ops.api.schemas_liaison import HeadsUpList, ReleaseList
from ops.db import session
from ops.liaison import headsups, services
from ops.models_liaison import HeadsUp, Release


@contextmanager
def refusals(db, status: int = 422):
    """A service's LiaisonError: nothing written, answered as the API's problem naming its field."""
    try:
        yield
    except services.LiaisonError as error:
        db.rollback()
        raise liaison.refused(error, status) from None


def _json(model, status: int = 200, headers: dict | None = None):
    response = current_app.response_class(model.model_dump_json(), status=status, mimetype="application/json")
    response.headers.update(headers or {})
    return response


@bp.get("/releases")
def releases():
    """The releases the caller may read: their agency's, or for a counterpart office what was delivered to it."""
    policy.require(current_user, "view_release")  # before the parameters: a 404 says nothing of them
    params.only(set())
    db = session()
    found = services.visible(db, current_user)
    return _json(ReleaseList(items=liaison.release_summaries(db, current_user, found)))


@bp.get("/releases/<int:release_id>")
def release(release_id: int):
    db = session()
    found = policy.load(db, Release, release_id, current_user, "view_release")
    services.record_read(db, current_user, found)
    return _json(liaison.release_public(db, current_user, found))


@bp.post("/releases/<int:release_id>/acknowledge")
def acknowledge_release(release_id: int):
    db = session()
    found = policy.load(db, Release, release_id, current_user, "acknowledge_release")
    try:
        with refusals(db, 409):
            services.acknowledge(db, current_user, found)
    except services.StaleError:
        raise ApiError(409, "someone changed this release meanwhile; read it again") from None
    return _json(liaison.release_public(db, current_user, found))


@bp.get("/messages")
def messages():
    """The first messages of the threads the caller's agency sent or received, newest first."""
    policy.require(current_user, "view_headsup")
    params.only(set())
    db = session()
    codes = liaison.agency_codes(db)
    return _json(HeadsUpList(items=[liaison.headsup_public(m, codes) for m in headsups.threads(db, current_user)]))


@bp.post("/messages")
def send_message():
    policy.require_headsup_sender(current_user)
    db = session()
    with refusals(db):
        message = headsups.send(db, current_user, liaison.draft(db))
    return _created(db, message)


@bp.get("/messages/<int:headsup_id>")
def message_thread(headsup_id: int):
    """The whole thread the message belongs to, oldest first."""
    db = session()
    message = policy.load(db, HeadsUp, headsup_id, current_user, "view_headsup")
    codes = liaison.agency_codes(db)
    found = headsups.thread_of(db, current_user, message)
    return _json(HeadsUpList(items=[liaison.headsup_public(m, codes) for m in found]))


@bp.post("/messages/<int:headsup_id>/acknowledge")
def acknowledge_message(headsup_id: int):
    db = session()
    message = policy.load(db, HeadsUp, headsup_id, current_user, "answer_headsup")
    with refusals(db, 409):
        headsups.acknowledge(db, current_user, message)
    return _json(liaison.headsup_public(message, liaison.agency_codes(db)))


@bp.post("/messages/<int:headsup_id>/reply")
def reply_message(headsup_id: int):
    db = session()
    message = policy.load(db, HeadsUp, headsup_id, current_user, "answer_headsup")
    text = liaison.reply_text()
    with refusals(db):
        answer = headsups.reply(db, current_user, message, text)
    return _created(db, answer)


def _created(db, message: HeadsUp):
    location = url_for("api.message_thread", headsup_id=message.thread_id or message.id)
    return _json(liaison.headsup_public(message, liaison.agency_codes(db)), 201, {"Location": location})
