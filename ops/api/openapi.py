"""The OpenAPI 3.1 description, its schemas generated from ops/api/schemas.py."""

from __future__ import annotations

from functools import lru_cache

from pydantic.json_schema import models_json_schema

from ops.api import openapi_liaison, schemas
from ops.api.params import MAX_LIMIT
from ops.vocab import CATEGORIES, COMMODITIES, STATUSES

REF = "#/components/schemas/{model}"
MODELS = [
    schemas.OperationPage,
    schemas.OperationPublic,
    schemas.SeizurePage,
    schemas.SearchPage,
    schemas.Problem,
    schemas.InboxPage,
    schemas.LookupAnswer,
    *openapi_liaison.MODELS,
]
INPUTS = [
    schemas.OperationWrite,
    schemas.OperationReplace,
    schemas.StepWrite,
    schemas.HandlingWrite,
    *openapi_liaison.INPUTS,
]


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _problem_responses(*codes: int) -> dict:
    codes = (*codes, 405)  # any path answers 405 to a method it does not serve
    return {
        str(code): {"description": "problem", "content": {"application/problem+json": {"schema": _ref("Problem")}}}
        for code in codes
    }


# every parameter with a NUL character is refused with 400 (ops/web.py): the lookup's schema says so
_NO_NUL = {"type": "string", "pattern": "^[^\\u0000]*$"}


def _query(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


def _list_parameters(seizures: bool) -> list[dict]:
    parameters = [
        _query("limit", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": 50}, "page size"),
        _query("cursor", {"type": "string", "minLength": 1}, "next_cursor of the previous page"),
        _query("status", {"type": "string", "enum": list(STATUSES)}, "review status"),
        _query("agency", {"type": "string", "minLength": 1}, "owning agency code"),
        _query("date_from", {"type": "string", "format": "date"}, "from this day (UTC)"),
        _query("date_to", {"type": "string", "format": "date"}, "up to and including this day (UTC)"),
    ]
    if seizures:
        parameters += [
            _query("category", {"type": "string", "enum": list(CATEGORIES)}, "seizure category"),
            _query("commodity", {"type": "string", "enum": list(COMMODITIES)}, "commodity code"),
        ]
    return parameters


def _body(schema_name: str) -> dict:
    return {"required": True, "content": {"application/json": {"schema": _ref(schema_name)}}}


def _search_parameters() -> list[dict]:
    text = {"type": "string", "minLength": 1, "maxLength": 200}
    return [
        _query("q", text, 'search words: all must match; "a phrase"; prefix*'),
        _query("from", {"type": "string", "format": "date"}, "from this day"),
        _query("to", {"type": "string", "format": "date"}, "up to and including this day"),
        _query("agency", {"type": "string", "minLength": 1}, "owning agency code"),
        _query("category", {"type": "string", "enum": list(CATEGORIES)}, "seizure category"),
        _query("commodity", {"type": "string", "enum": list(COMMODITIES)}, "commodity code"),
        _query("status", {"type": "string", "enum": list(STATUSES)}, "review status"),
        _query("location", text, "place name"),
        _query("origin", {"type": "string", "minLength": 2, "maxLength": 2}, "country of origin (ISO 3166)"),
        _query("destination", {"type": "string", "minLength": 2, "maxLength": 2}, "destination (ISO 3166)"),
        _query("after", text, "next_cursor of the previous page"),
    ]


def _ok(schema_name: str) -> dict:
    return {"200": {"description": "OK", "content": {"application/json": {"schema": _ref(schema_name)}}}}


def _created(schema_name: str) -> dict:
    return {"201": {"description": "Created", "content": {"application/json": {"schema": _ref(schema_name)}}}}


@lru_cache(maxsize=1)
def document() -> dict:
    _mapping, definitions = models_json_schema(
        [(m, "serialization") for m in MODELS] + [(m, "validation") for m in INPUTS], ref_template=REF
    )
    path_id = {
        "name": "operation_id",
        "in": "path",
        "required": True,
        "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
    }
    # Declared optional so that a request without it is not "invalid"; the API still insists on
    # it and answers 428 Precondition Required (RFC 6585) when it is missing.
    if_match = {
        "name": "If-Match",
        "in": "header",
        "required": False,
        "schema": {"type": "string", "pattern": '^(W/)?"*[0-9]+"*$'},
        "description": "the ETag of GET /operations/{operation_id}; without it: 428",
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "ops API",
            "version": "1",
            "description": "Operations and seizures the caller may see, filtered by the same access "
            "policy as the web pages. Authenticate with `Authorization: Bearer <token>`.",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "components": {
            "schemas": definitions["$defs"],
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "paths": {
            "/operations": {
                "get": {
                    "operationId": "listOperations",
                    "parameters": _list_parameters(False),
                    "responses": {**_ok("OperationPage"), **_problem_responses(400, 401, 403)},
                },
                "post": {
                    "operationId": "createOperation",
                    "requestBody": _body("OperationWrite"),
                    "responses": {"201": _ok("OperationPublic")["200"], **_problem_responses(400, 401, 403, 422)},
                },
            },
            "/seizures": {
                "get": {
                    "operationId": "listSeizures",
                    "parameters": _list_parameters(True),
                    "responses": {**_ok("SeizurePage"), **_problem_responses(400, 401, 403)},
                }
            },
            "/search": {
                "get": {
                    "operationId": "search",
                    "parameters": _search_parameters(),
                    "responses": {**_ok("SearchPage"), **_problem_responses(400, 401, 403)},
                }
            },
            "/inbox": {
                "get": {
                    "operationId": "listInbox",
                    "parameters": [_query("page", {"type": "integer", "minimum": 1, "maximum": 100000}, "page")],
                    "responses": {**_ok("InboxPage"), **_problem_responses(400, 401)},
                }
            },
            "/lookup": {
                "get": {
                    "operationId": "lookup",
                    "parameters": [
                        {
                            **_query("value", {**_NO_NUL, "minLength": 2, "maxLength": 160}, "identifier"),
                            "required": True,
                        },
                        _query(
                            "purpose",
                            {
                                "type": "string",
                                "minLength": 1,
                                "maxLength": 200,
                                "pattern": "^[^\\u0000]*\\S[^\\u0000]*$",
                            },
                            "reach other agencies",
                        ),
                    ],
                    "responses": {**_ok("LookupAnswer"), **_problem_responses(400, 401, 403, 422, 429)},
                }
            },
            "/export.csv": {
                "get": {
                    "operationId": "exportCsv",
                    "parameters": _search_parameters(),
                    "responses": {
                        "200": {
                            "description": "CSV of every matching seizure",
                            "content": {"text/csv": {"schema": {"type": "string"}}},
                        },
                        **_problem_responses(400, 401, 403),
                    },
                }
            },
            "/operations/{operation_id}": {
                "get": {
                    "operationId": "getOperation",
                    "parameters": [path_id],
                    "responses": {**_ok("OperationPublic"), **_problem_responses(400, 401, 403, 404)},
                },
                "put": {
                    "operationId": "updateOperation",
                    "parameters": [path_id, if_match],
                    "requestBody": _body("OperationReplace"),
                    "responses": {**_ok("OperationPublic"), **_problem_responses(400, 401, 403, 404, 412, 422, 428)},
                },
            },
            "/operations/{operation_id}/handling": {
                "put": {
                    "operationId": "changeHandling",
                    "parameters": [path_id, if_match],
                    "requestBody": _body("HandlingWrite"),
                    "responses": {**_ok("OperationPublic"), **_problem_responses(400, 401, 403, 404, 412, 422, 428)},
                }
            },
            **{
                f"/operations/{{operation_id}}/{step}": {
                    "post": {
                        "operationId": f"{step}Operation",
                        "parameters": [path_id, if_match],
                        "requestBody": {**_body("StepWrite"), "required": False},
                        "responses": {
                            **_ok("OperationPublic"),
                            **_problem_responses(400, 401, 403, 404, 412, 422, 428),
                        },
                    }
                }
                for step in ("submit", "return", "approve")
            },
            **openapi_liaison.paths(_ok, _created, _body, _problem_responses),
        },
    }
