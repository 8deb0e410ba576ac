"""Moving sites: WordPress exports (WXR) in, WordPress and JSON exports out.

- :mod:`.records`: what a WXR file holds, as plain data;
- :mod:`.wxr`: reads a WXR file as a stream of records, with a hardened
  XML parser (no DTDs, no entities, no network, bounded nesting);
  :mod:`.wxr_fields` reads each element into its record;
- :mod:`.content`: WordPress's HTML (blocks, shortcodes, ``wpautop``) to
  Markdown editors can keep editing (with :mod:`.autop`, :mod:`.shortcodes`,
  :mod:`.markup`, :mod:`.converter`, :mod:`.escaping`);
- :mod:`.importer`: records to users, terms, posts, comments, media and
  redirects, matched by WordPress id so that an import runs again safely
  (one module per kind: :mod:`.people`, :mod:`.terms`, :mod:`.attachments`,
  :mod:`.items`, :mod:`.discussion`, :mod:`.addresses`, :mod:`.menus`;
  :mod:`.roundtrip` reads what this engine's own exports add);
- :mod:`.runs`: imports started from the dashboard, in the background;
- :mod:`.cli`: ``flask --app blog import wordpress FILE.xml``.

Exports (``flask --app blog export wordpress|json``) live in
:mod:`blog.exporting`.
"""
