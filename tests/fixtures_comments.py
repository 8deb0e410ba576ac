"""Fixtures for comments and spam checking (``make_comment``, ``akismet_server``)."""
