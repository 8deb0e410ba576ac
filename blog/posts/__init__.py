"""Posts: writing, publishing and reading articles (events are posts too).

- ``editing``: the editor's fields copied onto a post, Markdown rendered on
  save, slugs with 301s, the featured image;
- ``publishing``: save, publish or schedule, update, switch to draft, submit
  for review, trash (the editor's buttons as :class:`SaveAction`);
- ``reading``: what readers see (the one visibility rule) and archives;
- ``listing``: the dashboard's lists and counts;
- ``taxonomy``: categories, tags, audiences, units;
- ``permissions``: who may write, publish and organise;
- ``slugs``: addresses made from titles and names;
- ``revisions``: a revision for every save, comparing and restoring them;
- ``locking``: a save made from an older version is refused (``EditConflict``);
- ``diff``: word-level differences for the revisions screen;
- ``autosave``: each person's unsaved text, and who is editing a post.
"""

from blog.posts.editing import PostError, PostInput
from blog.posts.publishing import (
    SaveAction,
    Standing,
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
    "SaveAction",
    "Standing",
    "delete_post",
    "preview_post",
    "rerender_stale_posts",
    "restore_post",
    "save_post",
    "trash_post",
]
