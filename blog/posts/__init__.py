"""Posts: writing, publishing and reading articles (events are posts too).

- ``editing``: the editor's fields copied onto a post, Markdown rendered on
  save, slugs with 301s, the featured image;
- ``publishing``: save, publish or schedule, submit for review, trash;
- ``reading``: what readers see (the one visibility rule) and archives;
- ``listing``: the dashboard's lists and counts;
- ``taxonomy``: categories, tags, audiences, units;
- ``permissions``: who may write, publish and organise;
- ``slugs``: addresses made from titles and names.
"""

from blog.posts.editing import PostError, PostInput
from blog.posts.publishing import (
    delete_post,
    preview_post,
    rerender_stale_posts,
    restore_post,
    save_post,
    trash_post,
)

__all__ = [
    "PostError",
    "PostInput",
    "delete_post",
    "preview_post",
    "rerender_stale_posts",
    "restore_post",
    "save_post",
    "trash_post",
]
