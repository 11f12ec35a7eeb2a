"""Flask extensions, created here and bound to the app in init_app."""
from __future__ import annotations

from flask import Flask, request
from flask_babel import Babel
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()

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


def init_app(app: Flask) -> None:
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = None  # the server-side session row does this job
