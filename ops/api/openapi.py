"""The OpenAPI 3.1 description, its schemas generated from ops/api/schemas.py."""
from __future__ import annotations

from functools import lru_cache

from pydantic.json_schema import models_json_schema

from ops.api import schemas
from ops.api.params import MAX_LIMIT
from ops.vocab import CATEGORIES, COMMODITIES, STATUSES

REF = "#/components/schemas/{model}"
MODELS = [schemas.OperationPage, schemas.OperationPublic, schemas.SeizurePage, schemas.Problem]


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _problem_responses(*codes: int) -> dict:
    return {str(code): {"description": "problem", "content": {"application/problem+json": {"schema": _ref("Problem")}}}
            for code in codes}


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
        parameters += [_query("category", {"type": "string", "enum": list(CATEGORIES)}, "seizure category"),
                       _query("commodity", {"type": "string", "enum": list(COMMODITIES)}, "commodity code")]
    return parameters


def _ok(schema_name: str) -> dict:
    return {"200": {"description": "OK", "content": {"application/json": {"schema": _ref(schema_name)}}}}


@lru_cache(maxsize=1)
def document() -> dict:
    _mapping, definitions = models_json_schema([(m, "serialization") for m in MODELS], ref_template=REF)
    path_id = {"name": "operation_id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "ops API", "version": "1",
                 "description": "Operations and seizures the caller may see, filtered by the same access "
                                "policy as the web pages. Authenticate with `Authorization: Bearer <token>`."},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "components": {"schemas": definitions["$defs"],
                       "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "paths": {
            "/operations": {"get": {"operationId": "listOperations", "parameters": _list_parameters(False),
                                    "responses": {**_ok("OperationPage"), **_problem_responses(400, 401, 403)}}},
            "/seizures": {"get": {"operationId": "listSeizures", "parameters": _list_parameters(True),
                                  "responses": {**_ok("SeizurePage"), **_problem_responses(400, 401, 403)}}},
            "/operations/{operation_id}": {"get": {
                "operationId": "getOperation", "parameters": [path_id],
                "responses": {**_ok("OperationPublic"), **_problem_responses(401, 403, 404)}}},
        },
    }
