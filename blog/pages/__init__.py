"""Static pages (About, Contact, a policy): posts of kind ``page`` with an
address of their own, no date, category or byline, comments off by default.
Editors and admins manage them (``blog.posts.permissions.can_manage_pages``).

- ``paths``: a page's address (``/slug/``, ``/parent/slug/``) and the words
  its slug may not take (the site's own addresses);
- ``hierarchy``: the parent a page may take (up to ``MAX_DEPTH`` levels, no cycles), the
  Parent menu's choices, the dashboard's list in tree order;
- ``editing``: saving and previewing, through the articles' publishing path.

Readers see a page by the one visibility rule (``Post.visible_at``) through
``blog.posts.reading``; the site menu that links to pages is
``blog.site.menu``.
"""

from blog.pages.editing import PageInput, preview_page, save_page
from blog.pages.hierarchy import PageError, parent_choices, tree_order
from blog.pages.paths import is_reserved, page_path, page_segments, reserved_words

__all__ = [
    "PageError",
    "PageInput",
    "is_reserved",
    "page_path",
    "page_segments",
    "parent_choices",
    "preview_page",
    "reserved_words",
    "save_page",
    "tree_order",
]
