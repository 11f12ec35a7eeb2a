"""Entry point for gunicorn: `gunicorn ops.wsgi:app`."""
from ops import create_app

app = create_app()
