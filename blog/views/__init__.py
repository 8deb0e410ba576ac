"""Blueprints, one per audience: ``public``, ``events``, ``comments``,
``media``, ``auth`` and ``dashboard`` (one child per area). ``context`` holds
what every template gets; ``hooks`` the headers every response carries."""
