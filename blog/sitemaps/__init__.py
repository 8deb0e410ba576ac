"""What crawlers read: the sitemaps (an index at ``/sitemap.xml`` and one
sitemap per part of each section) and ``/robots.txt``.

- ``sections``: which addresses are listed (only what readers can open) and
  when each last changed, split into parts of ``PER_SITEMAP``;
- ``building``: the sitemaps' XML;
- ``robots``: robots.txt's rules and the "Discourage search engines"
  setting.

Views hand in how addresses are spelled (:class:`Addresses`), as the site
menu's do.
"""

from blog.sitemaps.building import CONTENT_TYPE, sitemap_index, urlset, w3c_datetime
from blog.sitemaps.robots import NOINDEX, discouraged, robots_txt
from blog.sitemaps.sections import (
    Addresses,
    Part,
    Section,
    SitemapUrl,
    index_parts,
    section_urls,
)

__all__ = [
    "CONTENT_TYPE",
    "NOINDEX",
    "Addresses",
    "Part",
    "Section",
    "SitemapUrl",
    "discouraged",
    "index_parts",
    "robots_txt",
    "section_urls",
    "sitemap_index",
    "urlset",
    "w3c_datetime",
]
