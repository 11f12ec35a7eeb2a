"""Entry point for gunicorn: `gunicorn ops.wsgi:app`."""

import gc

from ops.app import create_app

app = create_app()
# What exists now (modules, vocabularies, the app) lives as long as the process: take it out of
# the collector's sight, so that a full collection, which otherwise walks these ~150,000 objects,
# does not add ~50 ms to every fifteenth request (the standard gunicorn/Instagram practice).
gc.freeze()
