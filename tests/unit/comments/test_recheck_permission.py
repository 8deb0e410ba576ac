"""Only editors and admins start the site-wide spam recheck."""

from __future__ import annotations

import pytest

from blog.comments import CommentSettings
from blog.comments.moderation import recheck_held
from blog.errors import PermissionDenied
from blog.extensions import db
from blog.models import Role, User


@pytest.mark.parametrize("role", [Role.AUTHOR, Role.CONTRIBUTOR])
def test_authors_cannot_recheck_everyone_s_comments(app, make_user, role):
    user = make_user(role)
    with app.app_context():
        actor = db.session.get(User, user.id)
        settings = CommentSettings.from_app(app.config, {})
        with pytest.raises(PermissionDenied):
            recheck_held(actor, settings)


@pytest.mark.parametrize("role", [Role.EDITOR, Role.ADMIN])
def test_editors_can(app, make_user, role):
    user = make_user(role)
    with app.app_context():
        actor = db.session.get(User, user.id)
        result = recheck_held(actor, CommentSettings.from_app(app.config, {}))
    assert result.checked == 0
