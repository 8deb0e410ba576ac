"""Imports run on a site that is set up: it has its administrator."""

from __future__ import annotations

import pytest

from blog.models import Role


@pytest.fixture(autouse=True)
def site_owner(request: pytest.FixtureRequest) -> None:
    if "app" in request.fixturenames and "empty_site" not in request.fixturenames:
        request.getfixturevalue("make_user")(Role.ADMIN, "owner")
