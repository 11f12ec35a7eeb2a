"""Logs as JSON lines when OPS_LOG_FORMAT=json: one object per line, each with the request id.

A log shipper then needs no parsing rules, and a line can be matched with the
X-Request-ID header the user saw and with the audit events of the same request.
In that mode every request also writes one `request` line (method, path, status,
milliseconds); the path carries no query string, which may hold search words.
"""

from __future__ import annotations

import logging
import sys
import time

from flask import Flask, g, has_request_context, request
from pythonjsonlogger.json import JsonFormatter

FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s"


class RequestIdFilter(logging.Filter):
    """Adds the request id (empty outside a request) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = g.get("request_id", "") if has_request_context() else ""
        return True


def json_handler(stream=None) -> logging.Handler:
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter(FIELDS, rename_fields={"levelname": "level", "name": "logger"}))
    handler.addFilter(RequestIdFilter())
    return handler


def init_app(app: Flask) -> None:
    if app.config.get("LOG_FORMAT") != "json":
        return
    package = logging.getLogger("ops")  # the application's logger ("ops.app") and the request lines' are below it
    package.handlers[:] = [json_handler()]
    package.setLevel(logging.INFO)
    package.propagate = False
    app.logger.handlers[:] = []  # Flask's default handler writes plain text; its records go up to the package
    app.before_request(_start_clock)
    app.after_request(_log_request)


def _start_clock() -> None:
    g.started = time.perf_counter()


def _log_request(response):
    elapsed = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
    logging.getLogger("ops").getChild("request").info(
        "request",
        extra={"method": request.method, "path": request.path, "status": response.status_code, "ms": round(elapsed, 1)},
    )
    return response
