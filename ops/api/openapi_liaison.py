"""The OpenAPI paths of releases and heads-up messages (ops/api/routes_liaison.py); merged by ops.api.openapi."""

from __future__ import annotations

from ops.api import schemas_liaison

MODELS = [
    schemas_liaison.ReleaseList,
    schemas_liaison.ReleasePublic,
    schemas_liaison.HeadsUpList,
    schemas_liaison.HeadsUpPublic,
]
INPUTS = [schemas_liaison.HeadsUpWrite, schemas_liaison.HeadsUpReply]


def _id(name: str) -> dict:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
    }


def paths(ok, created, body, problems) -> dict:
    """`ok(schema)`, `created(schema)`, `body(schema)` and `problems(*codes)` are openapi.py's helpers."""
    release_id, headsup_id = _id("release_id"), _id("headsup_id")
    return {
        "/releases": {
            "get": {"operationId": "listReleases", "responses": {**ok("ReleaseList"), **problems(400, 401, 403, 404)}}
        },
        "/releases/{release_id}": {
            "get": {
                "operationId": "getRelease",
                "parameters": [release_id],
                "responses": {**ok("ReleasePublic"), **problems(400, 401, 403, 404)},
            }
        },
        "/releases/{release_id}/acknowledge": {
            "post": {
                "operationId": "acknowledgeRelease",
                "parameters": [release_id],
                "responses": {**ok("ReleasePublic"), **problems(400, 401, 403, 404, 409)},
            }
        },
        "/messages": {
            "get": {"operationId": "listMessages", "responses": {**ok("HeadsUpList"), **problems(400, 401, 403, 404)}},
            "post": {
                "operationId": "sendMessage",
                "requestBody": body("HeadsUpWrite"),
                "responses": {**created("HeadsUpPublic"), **problems(400, 401, 403, 404, 422)},
            },
        },
        "/messages/{headsup_id}": {
            "get": {
                "operationId": "getMessageThread",
                "parameters": [headsup_id],
                "responses": {**ok("HeadsUpList"), **problems(400, 401, 403, 404)},
            }
        },
        "/messages/{headsup_id}/acknowledge": {
            "post": {
                "operationId": "acknowledgeMessage",
                "parameters": [headsup_id],
                "responses": {**ok("HeadsUpPublic"), **problems(400, 401, 403, 404, 409)},
            }
        },
        "/messages/{headsup_id}/reply": {
            "post": {
                "operationId": "replyMessage",
                "parameters": [headsup_id],
                "requestBody": body("HeadsUpReply"),
                "responses": {**created("HeadsUpPublic"), **problems(400, 401, 403, 404, 422)},
            }
        },
    }
