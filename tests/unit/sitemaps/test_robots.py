"""robots.txt's rules and the "Discourage search engines" setting."""

from __future__ import annotations

from blog.sitemaps import discouraged, robots_txt

SITEMAP = "https://example.org/sitemap.xml"


def test_discouraged_reads_the_setting():
    assert discouraged({"discourage_search_engines": True})
    assert not discouraged({"discourage_search_engines": False})
    assert not discouraged({})


def test_welcoming_robots_txt():
    text = robots_txt(discourage=False, sitemap_url=SITEMAP)
    lines = text.splitlines()
    assert lines[0] == "User-agent: *"
    assert lines[-1] == f"Sitemap: {SITEMAP}"
    assert text.endswith("\n")
    # The feed of comments is carved out of /comments/, before it, so that
    # crawlers reading the first match agree with those reading the longest.
    assert lines.index("Allow: /comments/feed/") < lines.index("Disallow: /comments/")
    for rule in ("/dashboard/", "/login$", "/setup$", "/password/", "/search/", "/?s="):
        assert f"Disallow: {rule}" in lines
    assert "Disallow: /" not in lines


def test_a_site_under_a_path_says_so():
    text = robots_txt(discourage=False, sitemap_url=SITEMAP, root="/blog")
    assert "Disallow: /blog/dashboard/" in text
    assert "Allow: /blog/comments/feed/" in text
    assert "Disallow: /dashboard/" not in text


def test_discouraged_robots_txt_names_no_sitemap_but_lets_noindex_be_read():
    """Crawlers must fetch a page to read its noindex: no ``Disallow: /``."""
    text = robots_txt(discourage=True, sitemap_url=SITEMAP)
    assert "Sitemap" not in text and SITEMAP not in text
    assert "Disallow: /\n" not in text
    assert (
        text
        == robots_txt(discourage=False, sitemap_url=SITEMAP).split("\n\nSitemap")[0]
        + "\n"
    )
