"""Markdown to safe HTML: the only package that decides what HTML is safe.

Markdown runs first and :func:`sanitize` cleans what it produced, never the
other way round; ``tests/payloads.py`` is the contract.

- ``limits``: what is refused before rendering (lengths, pathological shapes);
- ``sanitizer``: the allowlists and :func:`sanitize`;
- ``render``: Markdown for comments and posts, excerpts and plain text.
"""

from blog.rendering.limits import (
    COMMENT_MAX_BYTES,
    COMMENT_MAX_CHARS,
    ContentRejected,
    check_comment_source,
)
from blog.rendering.render import (
    RENDERER_VERSION,
    excerpt_html,
    plain_text,
    render_comment,
    render_inline_text,
    render_post,
)
from blog.rendering.sanitizer import ID_PREFIX, sanitize

__all__ = [
    "COMMENT_MAX_BYTES",
    "COMMENT_MAX_CHARS",
    "ID_PREFIX",
    "RENDERER_VERSION",
    "ContentRejected",
    "check_comment_source",
    "excerpt_html",
    "plain_text",
    "render_comment",
    "render_inline_text",
    "render_post",
    "sanitize",
]
