"""Flask extensions, created here and bound to the app in init_app."""

from __future__ import annotations

from flask import Flask, request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf import form as flask_wtf_form
from flask_wtf.csrf import CSRFProtect

from ops import wtforms_i18n

login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
# Limits are declared on the routes they guard (ops/auth/throttle.py); storage comes from
# RATELIMIT_STORAGE_URI (Redis when REDIS_URL is set). The client is request.remote_addr,
# which ProxyFix sets from X-Forwarded-For only when OPS_BEHIND_PROXY is on.
limiter = Limiter(key_func=get_remote_address)

LANGUAGES = ("en", "ru", "uz")
# each language named in itself, so that anyone can find their own
LANGUAGE_NAMES = {"uz": "O‘zbekcha", "ru": "Русский", "en": "English"}


def select_locale() -> str:
    """The user's saved language, else the one picked in the header, else the browser's preference."""
    from flask import current_app, session
    from flask_login import current_user

    if current_user and current_user.is_authenticated and current_user.locale in LANGUAGES:
        return current_user.locale
    if session.get("lang") in LANGUAGES:
        return session["lang"]
    return request.accept_languages.best_match(LANGUAGES) or current_app.config["DEFAULT_LOCALE"]


def select_timezone() -> str:
    # Babel formats in the user's zone; values are stored in UTC.
    from flask import current_app
    from flask_login import current_user

    if current_user and current_user.is_authenticated and current_user.timezone:
        return current_user.timezone
    return current_app.config["DEFAULT_TIMEZONE"]


@limiter.request_filter
def _throttling_off() -> bool:
    # The Limiter is one object per process; an app built with RATELIMIT_ENABLED=False (tests)
    # must neither switch it off for the others nor be counted by it.
    from flask import current_app

    return not current_app.config.get("RATELIMIT_ENABLED", True)


def init_app(app: Flask) -> None:
    if app.config.get("RATELIMIT_ENABLED", True):
        limiter.init_app(app)  # before CSRF, so that attempts with a bad token are counted too
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    # WTForms' own messages from our catalogues (it has no Uzbek one): see ops/wtforms_i18n.py
    flask_wtf_form.translations = wtforms_i18n.translations
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = None  # the server-side session row does this job
