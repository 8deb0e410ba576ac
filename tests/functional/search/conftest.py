"""Another empty site to restore a backup into (``make_site``)."""

from tests.functional.test_backup import make_site  # noqa: F401
