"""Blueprints, one per audience: public, auth, dashboard, media (and more to come)."""
