"""The media library (/dashboard/media/): uploading several files at once (a
refused one named, the others kept), searching, editing an upload's words,
deleting (with a warning listing where it is used), who may do what, PDF
attachments served as downloads, the request size limit, and a constant
number of queries."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from blog.extensions import db
from blog.media import Uploads, store_image
from blog.media.variants import stored_names
from blog.models import Media, MediaVariant, Post, Role, User
from tests.unit.media.samples import SECRET, photo

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def upload(client, *files: tuple[bytes, str], json: bool = False):
    return client.post(
        "/dashboard/media/upload",
        data={"files": [(io.BytesIO(data), name) for data, name in files]},
        content_type="multipart/form-data",
        headers={"Accept": "application/json"} if json else {},
        follow_redirects=not json,
    )


def flashes(page: str) -> list[str]:
    return re.findall(r'class="flash flash-\w+">([^<]*)<', page)


def uploaded(app) -> list[Media]:
    with app.app_context():
        rows = db.session.scalars(select(Media).order_by(Media.id)).all()
        db.session.expunge_all()
        return list(rows)


def files_on_disk(app) -> set[str]:
    folder = Path(app.instance_path) / "uploads"
    return {path.name for path in folder.iterdir()} if folder.exists() else set()


def store(app, size=(400, 300), *, by: User | None = None, **words: str) -> Media:
    """An image in the library, as an upload would leave it."""
    with app.app_context():
        media = store_image(
            io.BytesIO(photo(size)),
            Uploads.of(app),
            original_name=words.pop("name", "photo.jpg"),
            uploader=db.session.get(User, by.id) if by else None,
        )
        for key, value in words.items():
            setattr(media, key, value)
        db.session.commit()
        db.session.refresh(media)
        _ = media.variants
        db.session.expunge_all()
        return media


@pytest.fixture
def editor(make_user, auth):
    user = make_user(Role.EDITOR, "ed", display_name="Edna Editor")
    auth.login("ed")
    return user


def test_several_files_at_once_and_a_bad_one_is_named(app, client, editor):
    page = upload(
        client,
        (photo((400, 300)), "beach.jpg"),
        (b"<svg onload='alert(1)'/>", "drawing.svg"),
        (PDF, "Annual report.pdf"),
    ).get_data(True)
    assert flashes(page) == [
        "Uploaded 2 files: beach.jpg, Annual report.pdf.",
        "drawing.svg: That file is not a JPEG, PNG, GIF or WebP image, or a PDF, "
        "that we can use.",
    ]
    beach, report = uploaded(app)
    assert (beach.original_name, beach.width, beach.height) == ("beach.jpg", 400, 300)
    assert beach.uploaded_by_id == editor.id and beach.byte_size > 0
    assert (report.mimetype, report.width, report.height) == (
        "application/pdf",
        None,
        None,
    )
    with app.app_context():
        names = {n for m in db.session.scalars(select(Media)) for n in stored_names(m)}
    assert files_on_disk(app) == names
    assert len(names) == 1 + 3 + 1  # the photo, its 320px JPEG and WebPs, the PDF
    # The grid shows each with its size, uploader and Markdown to copy.
    assert "400 × 300" in page and "Edna Editor" in page
    assert f'value="![](media:{beach.id})"' in page
    assert f'value="[Annual report.pdf](media:{report.id})"' in page


def test_javascript_uploads_get_an_answer_per_file(app, client, editor):
    answer = upload(client, (photo(), "a.jpg"), json=True).get_json()
    assert [item["label"] for item in answer["stored"]] == ["a.jpg"]
    assert answer["refused"] == []
    answer = upload(client, (b"GIF89a" + bytes(20), "b.gif"), json=True).get_json()
    assert answer["stored"] == [] and answer["refused"][0]["name"] == "b.gif"


def test_uploaded_images_hold_only_pixels_and_so_do_their_variants(app, client, editor):
    upload(client, (photo((700, 400)), "gps.jpg"))
    [media] = uploaded(app)
    assert media.variants
    for name in stored_names(media):
        with client.get(f"/media/{name}") as served:
            assert served.status_code == 200
            assert SECRET not in served.get_data()


def test_a_pdf_is_served_only_as_a_download(app, client, editor):
    upload(client, (PDF, 'Q3 "final"\u202e.pdf'), (PDF, "Résumé.pdf"))
    quoted, accented = uploaded(app)
    with client.get(f"/media/{quoted.filename}") as response:
        assert response.status_code == 200 and response.get_data() == PDF
    assert response.mimetype == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert '"' not in disposition.split("filename=", 1)[1].strip('"')
    assert "\u202e" not in disposition
    with client.get(f"/media/{accented.filename}") as response:
        accented_disposition = response.headers["Content-Disposition"]
    assert "filename*=UTF-8''R%C3%A9sum%C3%A9.pdf" in accented_disposition


def test_only_the_first_bytes_decide_what_a_file_is(app, client, editor):
    page = upload(client, (b"not a pdf at all", "x.pdf"), (PDF, "renamed.jpg"))
    assert "x.pdf: That file is not" in page.get_data(True)
    [stored] = uploaded(app)
    assert stored.mimetype == "application/pdf" and stored.filename.endswith(".pdf")


@pytest.mark.parametrize("app_config", [{"MAX_CONTENT_LENGTH": 60_000}])
def test_uploads_stay_within_the_request_limit(app, client, editor):
    big = photo((600, 400)) + bytes(70_000)  # a JPEG with trailing bytes
    page = upload(client, (big, "big.jpg")).get_data(True)
    assert "more than the site accepts at once" in page
    assert uploaded(app) == [] and files_on_disk(app) == set()
    answer = upload(client, (big, "big.jpg"), json=True)
    assert answer.status_code == 413
    assert "Upload fewer at a time" in answer.get_json()["refused"][0]["message"]


@pytest.mark.parametrize("app_config", [{"UPLOAD_MAX_PIXELS": 100_000}])
def test_uploads_stay_within_the_pixel_limit(app, client, editor):
    page = upload(client, (photo((500, 400)), "wide.jpg"), (photo(), "ok.jpg"))
    assert "wide.jpg: That image is too large (500 × 400 pixels)" in page.get_data(True)
    assert [m.original_name for m in uploaded(app)] == ["ok.jpg"]


def test_search_by_file_name_title_or_alt_text(app, client, editor):
    store(app, name="beach.jpg")
    store(app, name="IMG_2.jpg", title="Harbour at dusk")
    store(app, name="IMG_3.jpg", alt_text="Two swans on the river")

    def found(q: str) -> list[str]:
        page = client.get("/dashboard/media/", query_string={"q": q}).get_data(True)
        return re.findall(r'<span class="media-name"><bdi>([^<]*)</bdi>', page)

    assert found("beach") == ["beach.jpg"]
    assert found("HARBOUR") == ["Harbour at dusk"]
    assert found("swans") == ["IMG_3.jpg"]
    assert found("") == ["IMG_3.jpg", "Harbour at dusk", "beach.jpg"]
    assert "No media matches that search" in client.get(
        "/dashboard/media/?q=nothing"
    ).get_data(True)


def test_the_library_is_paginated(app, client, editor):
    for n in range(25):
        store(app, (20, 10), name=f"p{n:02d}.jpg")
    first = client.get("/dashboard/media/").get_data(True)
    assert first.count('class="media-item"') == 24 and "Page 1 of 2" in first
    second = client.get("/dashboard/media/?page=2").get_data(True)
    assert second.count('class="media-item"') == 1 and "p00.jpg" in second
    assert client.get("/dashboard/media/?page=3").status_code == 404


def test_alt_text_caption_and_title_are_edited(app, client, editor):
    media = store(app)
    url = f"/dashboard/media/{media.id}/"
    response = client.post(
        url,
        data={
            "alt_text": "A red  wall\u202e",
            "caption": "Taken in May",
            "title": "Wall",
        },
        follow_redirects=True,
    )
    assert "Media updated." in response.get_data(True)
    with app.app_context():
        saved = db.session.get(Media, media.id)
        assert (saved.alt_text, saved.caption, saved.title) == (
            "A red wall",
            "Taken in May",
            "Wall",
        )
    refused = client.post(
        url, data={"alt_text": "two\nlines", "caption": "x" * 501, "title": "Kept"}
    )
    page = refused.get_data(True)
    assert refused.status_code == 200
    assert "Keep this on one line" in page and "500" in page
    assert 'value="Kept"' in page
    with app.app_context():
        assert db.session.get(Media, media.id).title == "Wall"


def test_an_upload_page_shows_its_address_variants_and_uses(
    app, client, editor, make_post
):
    media = store(app, (700, 350), alt_text="Wall")
    post = make_post("Walls of the city", body=f"![](media:{media.id})", author=editor)
    page = client.get(f"/dashboard/media/{media.id}/").get_data(True)
    assert f"http://localhost/media/{media.filename}" in page
    assert "320 × 160" in page and "640 × 320" in page and "WebP" in page
    assert f'href="/dashboard/posts/{post.id}/edit">Walls of the city</a>' in page
    assert "in the text" in page


def test_deleting_an_unused_upload_removes_its_files(app, client, editor):
    media = store(app, (700, 350))
    assert len(files_on_disk(app)) == 6  # the image, 2 widths × 2 types, a WebP copy
    response = client.post(f"/dashboard/media/{media.id}/delete", follow_redirects=True)
    assert "Deleted photo.jpg." in response.get_data(True)
    assert uploaded(app) == [] and files_on_disk(app) == set()
    with app.app_context():
        assert db.session.scalar(select(func.count(MediaVariant.id))) == 0


def test_deleting_an_upload_in_use_warns_first_and_lists_where(
    app, client, editor, make_post
):
    media = store(app, (700, 350), alt_text="Library alt")
    featured = make_post("Featuring it", author=editor)
    with app.app_context():
        db.session.get(Post, featured.id).featured_image_id = media.id
        db.session.commit()
    shown = make_post(
        "Showing it", body=f"Look: ![The wall](media:{media.id}) there.", author=editor
    )
    with app.app_context():
        assert "srcset" in db.session.get(Post, shown.id).body_html

    warning = client.post(f"/dashboard/media/{media.id}/delete")
    page = warning.get_data(True)
    assert warning.status_code == 200 and "is in use" in page
    assert f'href="/dashboard/posts/{featured.id}/edit">Featuring it</a>' in page
    assert f'href="/dashboard/posts/{shown.id}/edit">Showing it</a>' in page
    assert "featured image" in page and "in the text" in page
    assert len(uploaded(app)) == 1 and len(files_on_disk(app)) == 6

    done = client.post(
        f"/dashboard/media/{media.id}/delete",
        data={"confirmed": "yes"},
        follow_redirects=True,
    )
    assert "Deleted photo.jpg." in done.get_data(True)
    assert uploaded(app) == [] and files_on_disk(app) == set()
    with app.app_context():
        assert db.session.get(Post, featured.id).featured_image_id is None
        body = db.session.get(Post, shown.id).body_html
    assert body == "<p>Look: The wall there.</p>"


@pytest.mark.parametrize(
    ("role", "may_upload"),
    [("contributor", False), ("author", True), ("editor", True), ("admin", True)],
)
def test_who_may_upload(app, client, make_user, auth, role, may_upload):
    make_user(Role(role), "someone")
    auth.login("someone")
    page = client.get("/dashboard/media/").get_data(True)
    assert ('name="files"' in page) is may_upload
    response = upload(client, (photo(), "a.jpg"), json=True)
    assert response.status_code == (200 if may_upload else 403)
    assert len(uploaded(app)) == (1 if may_upload else 0)


def test_authors_change_only_their_own_uploads(app, client, make_user, auth):
    author = make_user(Role.AUTHOR, "au")
    other = make_user(Role.AUTHOR, "other")
    mine, theirs = store(app, by=author), store(app, by=other)
    auth.login("au")
    words = {"alt_text": "Mine", "caption": "", "title": ""}
    assert client.post(f"/dashboard/media/{mine.id}/", data=words).status_code == 302
    page = client.get(f"/dashboard/media/{theirs.id}/").get_data(True)
    assert "Delete Permanently" not in page and 'name="alt_text"' not in page
    assert client.post(f"/dashboard/media/{theirs.id}/", data=words).status_code == 403
    assert client.post(f"/dashboard/media/{theirs.id}/delete").status_code == 403
    assert client.post(f"/dashboard/media/{mine.id}/delete").status_code == 302
    assert [m.id for m in uploaded(app)] == [theirs.id]


def test_editors_change_everyones_uploads(app, client, make_user, auth):
    author = make_user(Role.AUTHOR, "au")
    media = store(app, by=author)
    make_user(Role.EDITOR, "ed")
    auth.login("ed")
    words = {"alt_text": "Edited", "caption": "", "title": ""}
    assert client.post(f"/dashboard/media/{media.id}/", data=words).status_code == 302
    assert client.post(f"/dashboard/media/{media.id}/delete").status_code == 302


def test_the_add_media_list_is_json_with_the_markdown(app, client, editor):
    image = store(app, alt_text="A [red] wall")
    upload(client, (PDF, "report.pdf"))
    items = client.get("/dashboard/media/choose.json").get_json()["items"]
    assert [item["markdown"] for item in items] == [
        f"[report.pdf](media:{image.id + 1})",
        rf"![A \[red\] wall](media:{image.id})",
    ]
    only_images = client.get("/dashboard/media/choose.json?images=1").get_json()
    assert [item["id"] for item in only_images["items"]] == [image.id]
    found = client.get("/dashboard/media/choose.json?q=report").get_json()
    assert found["total"] == 1


def test_the_library_page_takes_a_constant_number_of_queries(
    app, client, editor, make_post, count_queries
):
    def queries() -> int:
        with count_queries() as counter:
            assert client.get("/dashboard/media/").status_code == 200
        return counter.count

    first = store(app, (400, 200), by=editor)
    make_post("One", body=f"![](media:{first.id})", author=editor)
    few = queries()
    for n in range(8):
        media = store(app, (400, 200), by=editor, name=f"{n}.jpg")
        post = make_post(
            f"Post {n}",
            body=f"![](media:{media.id}) ![](media:{first.id})",
            author=editor,
        )
        with app.app_context():
            db.session.get(Post, post.id).featured_image_id = media.id
            db.session.commit()
    assert queries() == few
