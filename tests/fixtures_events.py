"""Fixtures for events (``make_event``)."""
