"""Unbound extension objects, bound to the app in :func:`blog.create_app`."""

from __future__ import annotations

from flask import current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

#: Constraint names that Alembic can reproduce on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Model(DeclarativeBase):
    """The base of every model. Models derive from it directly (rather than
    from ``db.Model``) so that type checkers see their mapped attributes;
    ``db`` shares its metadata, so ``create_all`` and migrations see them."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Model)
csrf = CSRFProtect()
migrate = Migrate()
login_manager = LoginManager()

#: Coarse per-IP limits on the forms bots hammer, stored where every server
#: sees them (``RATELIMIT_STORAGE_URI``, e.g. Redis). The finer rules (login
#: back-off, comment flood and duplicates) live in the database.
limiter = Limiter(get_remote_address)


def login_rate() -> str:
    """``RATELIMIT_LOGIN``, read per request so tests and sites can change it."""
    return str(current_app.config["RATELIMIT_LOGIN"])


def comment_rate() -> str:
    """``RATELIMIT_COMMENT``, read per request so tests and sites can change it."""
    return str(current_app.config["RATELIMIT_COMMENT"])
