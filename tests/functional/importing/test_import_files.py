"""Importing with the old site's uploads, from the command line, and files
that are not exports or are hostile."""

from __future__ import annotations

import io
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from blog.extensions import db
from blog.importing.wxr import NotWordPressExport
from blog.models import Comment, Media, Post, User
from tests.functional.importing.helpers import FIXTURE, attached_files, run_import
from tests.payloads import CORPUS

#: Parsing, the media pipeline and rendering: the same on every engine
#: (the PostgreSQL run imports the theme unit test file in test_theme_unit_test).
pytestmark = pytest.mark.engine_independent


def _uploads(folder: Path) -> Path:
    """A copy of ``wp-content/uploads`` as the old site had it: an image
    at each attachment's path, with a camera's metadata to strip."""
    for relative in attached_files():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        image = Image.new("RGB", (640, 480), (200, 120, 40))
        exif = Image.Exif()
        exif[0x010F] = "SecretCam"  # Make
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", exif=exif)
        path.write_bytes(buffer.getvalue())
    return folder


def test_uploads_go_through_the_media_pipeline_and_bodies_follow(app, tmp_path):
    summary = run_import(app, uploads_dir=_uploads(tmp_path / "uploads"))
    assert not summary.failures
    # The library holds images and PDFs: the song and the film stay where they were.
    assert [line.split(" ")[0] for line in summary.missing_files] == [
        "2008/06/originaldixielandjazzbandwithalbernard-stlouisblues.mp3",
        "2013/12/2014-slider-mobile-behavior.mov",
    ]
    assert dict(summary.rows())["attachments"].created == 35
    with app.app_context():
        media = db.session.scalars(select(Media)).all()
        assert len(media) == 35
        stored = Path(app.instance_path) / "uploads"
        for item in media:
            assert b"SecretCam" not in (stored / item.filename).read_bytes()
            assert item.variants  # smaller copies for srcset
        featured = db.session.scalars(
            select(Post).where(Post.featured_image_id.is_not(None))
        ).all()
        assert featured
        bodies = " ".join(db.session.scalars(select(Post.body_html)))
        assert "/media/" in bodies
        assert "files.wordpress.com/2008/06/canola2" not in bodies


def test_cli_imports_with_progress_and_a_summary(app, runner):
    result = runner.invoke(args=["import", "wordpress", str(FIXTURE)])
    assert result.exit_code == 0, result.output
    assert "Import finished." in result.output
    assert "posts: 58 created" in result.output
    assert "password-protected" in result.output
    again = runner.invoke(args=["import", "wordpress", str(FIXTURE), "--dry-run"])
    assert again.exit_code == 0, again.output
    assert "Dry run: nothing was changed." in again.output
    assert "posts: 0 would be created, 58 already imported" in again.output


def test_cli_refuses_to_import_into_a_site_not_set_up(app, runner):
    """Imported authors would make the site look set up, with no admin."""
    with app.app_context():
        for user in db.session.scalars(select(User)):
            db.session.delete(user)
        db.session.commit()
    result = runner.invoke(args=["import", "wordpress", str(FIXTURE)])
    assert result.exit_code == 1
    assert "Set the site up first" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 0


def test_cli_refuses_a_file_that_is_not_an_export(app, runner, tmp_path):
    other = tmp_path / "notes.xml"
    other.write_text("<notes><note>hello</note></notes>")
    result = runner.invoke(args=["import", "wordpress", str(other)])
    assert result.exit_code == 1
    assert "not a WordPress export" in result.output


_WXR_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Hostile</title><link>https://hostile.example</link>
<wp:wxr_version>1.2</wp:wxr_version><wp:base_blog_url>https://hostile.example</wp:base_blog_url>
"""


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _hostile_export(path: Path) -> Path:
    parts = [_WXR_HEAD]
    parts.append(
        "<wp:author><wp:author_login>mallory</wp:author_login>"
        "<wp:author_email>mallory@hostile.example</wp:author_email>"
        f"<wp:author_display_name>{_cdata('<script>alert(1)</script>')}"
        "</wp:author_display_name></wp:author>"
    )
    for n, payload in enumerate(CORPUS, start=1):
        comment = (
            f"<wp:comment><wp:comment_id>{n}</wp:comment_id>"
            f"<wp:comment_author>{_cdata(payload[:90])}</wp:comment_author>"
            "<wp:comment_author_email>reader@hostile.example</wp:comment_author_email>"
            "<wp:comment_author_url>javascript:alert(1)</wp:comment_author_url>"
            "<wp:comment_author_IP>203.0.113.9</wp:comment_author_IP>"
            "<wp:comment_date_gmt>2020-01-01 10:00:00</wp:comment_date_gmt>"
            f"<wp:comment_content>{_cdata(payload)}</wp:comment_content>"
            "<wp:comment_approved>1</wp:comment_approved></wp:comment>"
        )
        parts.append(
            f"<item><title>{_cdata(payload)}</title>"
            f"<link>https://hostile.example/2020/01/01/p{n}/</link>"
            "<dc:creator>mallory</dc:creator>"
            f"<content:encoded>{_cdata(payload)}</content:encoded>"
            f"<wp:post_id>{n}</wp:post_id>"
            "<wp:post_date_gmt>2020-01-01 09:00:00</wp:post_date_gmt>"
            f"<wp:post_name>p{n}</wp:post_name><wp:status>publish</wp:status>"
            "<wp:post_type>post</wp:post_type>"
            f'<category domain="category" nicename="c{n}">'
            f"{_cdata(payload[:90])}</category>"
            f"{comment}</item>"
        )
    parts.append("</channel></rss>")
    path.write_text("".join(parts), encoding="utf-8")
    return path


def test_script_in_titles_bodies_and_comments_is_made_harmless(app, client, tmp_path):
    summary = run_import(app, path=_hostile_export(tmp_path / "hostile.xml"))
    with app.app_context():
        posts = db.session.scalars(select(Post)).all()
        assert len(posts) + len(summary.failures) == len(CORPUS)
        assert db.session.scalar(select(func.count(Comment.id)))
        assert not any(c.author_url for c in db.session.scalars(select(Comment)).all())
        from blog.views.context import public_url

        with app.test_request_context("/"):
            addresses = [public_url(p) for p in posts]
    for address in addresses + ["/", "/feed/", "/comments/feed/"]:
        page = client.get(address).get_data(as_text=True)
        assert not _script_in(page), (address, _script_in(page))
        assert "203.0.113.9" not in page and "reader@hostile.example" not in page


class _ScriptFinder(HTMLParser):
    """Markup that would run: a script other than JSON-LD, an ``on*``
    attribute, a ``javascript:`` address."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and values.get("type") != "application/ld+json":
            if values.get("src", "") is None or not (
                values.get("src") or ""
            ).startswith("/static/"):
                self.found.append(f"<script {values}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            if (value or "").strip().lower().startswith(("javascript:", "data:text")):
                self.found.append(f"<{tag} {name}={value}>")


def _script_in(page: str) -> list[str]:
    finder = _ScriptFinder()
    finder.feed(page)
    return finder.found


_ENTITIES = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
<rss><channel><title>&d;</title><wp:wxr_version xmlns:wp="http://wordpress.org/export/1.2/">1.2</wp:wxr_version></channel></rss>"""
_EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<rss><channel><title>&x;</title></channel></rss>"""


@pytest.mark.parametrize(
    "text",
    [
        _ENTITIES,
        _EXTERNAL,
        _WXR_HEAD + "<item><title>x</title><content:encoded>" + "<b>" * 10_000,
    ],
    ids=["entity-expansion", "external-entity", "deep-nesting"],
)
def test_hostile_xml_is_refused_with_nothing_imported(app, tmp_path, text):
    path = tmp_path / "hostile.xml"
    path.write_text(text)
    with pytest.raises(NotWordPressExport):
        run_import(app, path=path)
    with app.app_context():
        assert db.session.scalar(select(func.count(Post.id))) == 0
