"""Markdown to safe HTML: the payload corpus, limits, links, and helpers."""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest

from blog import rendering
from blog.rendering import (
    COMMENT_MAX_BYTES,
    COMMENT_MAX_CHARS,
    ContentRejected,
    check_comment_source,
    excerpt_html,
    limits,
    plain_text,
    render_comment,
    render_inline_text,
    render_post,
    sanitize,
)
from tests.payloads import (
    CORPUS,
    FIELD_PAYLOADS,
    OVERSIZE_BODIES,
    POST_ALLOWED_TAGS,
    SPOOFING,
    assert_no_spoofing,
    assert_safe_html,
)

UGC = 'rel="nofollow ugc noopener"'


@pytest.mark.parametrize("payload", CORPUS)
def test_corpus_is_safe_in_comments(payload: str) -> None:
    assert_safe_html(render_comment(payload))


@pytest.mark.parametrize("payload", CORPUS)
def test_corpus_is_safe_in_posts(payload: str) -> None:
    html = render_post(payload)
    assert_safe_html(html, allowed_tags=POST_ALLOWED_TAGS, require_ugc_rel=False)


@pytest.mark.parametrize("payload", CORPUS)
def test_sanitizer_alone_handles_raw_payloads(payload: str) -> None:
    """Comments escape raw HTML before sanitizing; the sanitizer must not rely on it."""
    assert_safe_html(sanitize(payload, "comment"))
    assert_safe_html(
        sanitize(payload, "post"),
        allowed_tags=POST_ALLOWED_TAGS,
        require_ugc_rel=False,
    )


@pytest.mark.parametrize(
    "bad_html",
    [
        "<script>alert(1)</script>",
        "<p onclick=alert(1)>x</p>",
        '<p style="color:red">x</p>',
        '<a href="https://example.com">no rel</a>',
        '<a rel="nofollow ugc" href="java&#x0A;script:alert(1)">x</a>',
        '<a rel="nofollow ugc" href="&amp;#106;avascript:alert(1)">x</a>',
        '<a rel="nofollow ugc" href="javascript\u200b:alert(1)">x</a>',
        '<a rel="nofollow ugc" href="\u202ejavascript:alert(1)">x</a>',
        '<a rel="nofollow ugc" href=" VBScript:msgbox(1)">x</a>',
        '<img src="data:image/svg+xml;base64,PHN2Zz4=">',
        "<!-- hidden -->",
    ],
)
def test_oracle_catches_unsafe_html(bad_html: str) -> None:
    with pytest.raises(AssertionError, match="unsafe HTML"):
        assert_safe_html(bad_html, allowed_tags=POST_ALLOWED_TAGS)


def test_oracle_accepts_safe_html() -> None:
    assert_safe_html(f'<p>a <a href="https://example.com/" {UGC}>b</a></p>')


@pytest.mark.parametrize("render", [render_comment, render_post])
def test_backticked_script_is_visible_code(render: Callable[[str], str]) -> None:
    html = render("`<script>alert(1)</script>`")
    assert "<code>&lt;script&gt;alert(1)&lt;/script&gt;</code>" in html


@pytest.mark.parametrize("render", [render_comment, render_post])
def test_template_syntax_shows_literally(render: Callable[[str], str]) -> None:
    assert render("{{ 7*7 }}") == "<p>{{ 7*7 }}</p>"


def test_raw_html_in_comments_reads_as_typed() -> None:
    assert render_comment("<b>hi</b>") == "<p>&lt;b&gt;hi&lt;/b&gt;</p>"


@pytest.mark.parametrize("body", OVERSIZE_BODIES)
def test_oversize_bodies_are_rejected(body: str) -> None:
    with pytest.raises(ContentRejected):
        render_comment(body)


def test_field_payloads_cover_the_corpus_lines() -> None:
    assert FIELD_PAYLOADS["body"] == OVERSIZE_BODIES
    assert FIELD_PAYLOADS["website"] == ["javascript:alert(1)"]


@pytest.mark.parametrize("name", FIELD_PAYLOADS["name"])
def test_name_payloads_are_escaped_as_inline_text(name: str) -> None:
    html = render_inline_text(name)
    assert_safe_html(html)
    assert "<svg" not in html


@pytest.mark.parametrize(
    "body",
    [
        "[" * 4000,  # under the length limit: the bracket check must catch it
        "[a" * 2000,
        "![" * 2000,
        "[](" * 1600,
        "[x](" * 1200,
        "<![CDATA[" * 500,
        ("[" * 50 + "a") * 90,
        "1. " * 100,
        ">" * 100,
        "> - " * 30,
    ],
)
def test_pathological_markdown_is_rejected(body: str) -> None:
    with pytest.raises(ContentRejected) as raised:
        check_comment_source(body)
    assert "Your comment" in str(raised.value)
    with pytest.raises(ContentRejected):
        render_post(body)


def test_post_with_8000_brackets_is_rejected() -> None:
    with pytest.raises(ContentRejected, match="brackets"):
        render_post("[" * 8000)


def test_stack_overflow_in_markdown_becomes_a_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The nesting pre-check is a heuristic; a RecursionError must not be a 500."""
    monkeypatch.setattr(limits, "_NESTING_RE", re.compile(r"(?!)"))
    with pytest.raises(ContentRejected, match="nested too deeply"):
        render_post("1. " * 1500)


@pytest.mark.parametrize(
    "body",
    [
        " ".join(f"[link {i}](https://example.com/{i})" for i in range(60)),
        "```json\n" + "[[1, 2], [3, [4, 5]]]\n" * 100 + "```",
        "Intervals [0, 1) and (2, 3] and a [citation needed and `a[0]`. " * 40,
        "> quoted\n>> twice\n\n- a\n  - b\n    - c\n",
        "\\[" * 2000,
    ],
)
def test_ordinary_brackets_and_nesting_pass(body: str) -> None:
    assert len(body) <= COMMENT_MAX_CHARS
    check_comment_source(body)
    assert_safe_html(render_comment(body))


def test_comment_length_limit_is_exact_and_never_truncates() -> None:
    check_comment_source("a" * COMMENT_MAX_CHARS)
    with pytest.raises(ContentRejected) as raised:
        render_comment("a" * (COMMENT_MAX_CHARS + 1))
    assert str(raised.value) == "Your comment is 5,001 characters; the limit is 5,000."


def test_crlf_counts_as_one_character() -> None:
    check_comment_source("a" * (COMMENT_MAX_CHARS - 1) + "\r\n")


def test_emoji_at_both_limits_pass() -> None:
    body = "\U0001f600" * COMMENT_MAX_CHARS
    assert len(body.encode()) == COMMENT_MAX_BYTES
    check_comment_source(body)


def test_byte_limit_counts_utf8(monkeypatch: pytest.MonkeyPatch) -> None:
    """5,000 characters can never exceed 20,000 bytes; shrink the limit to see it."""
    monkeypatch.setattr(limits, "COMMENT_MAX_BYTES", 100)
    check_comment_source("a" * 100)
    with pytest.raises(ContentRejected, match="120 bytes; the limit is 100"):
        check_comment_source("\U0001f600" * 30)


@pytest.mark.parametrize("body", ["", "   \n\t  ", "\x00\x01"])
def test_empty_comments_are_rejected(body: str) -> None:
    with pytest.raises(ContentRejected, match="Please write a comment"):
        render_comment(body)


def test_autolinked_and_markdown_links_get_ugc_rel() -> None:
    assert render_comment("see www.example.com") == (
        f'<p>see <a href="http://www.example.com" {UGC}>www.example.com</a></p>'
    )
    assert render_comment("[x](https://example.com/a)") == (
        f'<p><a href="https://example.com/a" {UGC}>x</a></p>'
    )


def test_sanitizer_replaces_rel_given_in_comments() -> None:
    html = sanitize('<a href="https://example.com" rel="me">x</a>')
    assert html == f'<a href="https://example.com" {UGC}>x</a>'


def test_double_encoded_script_urls_are_dropped() -> None:
    """Harmless in a browser, but the sanitizer is as strict as the oracle."""
    html = '<a href="javascript&amp;#58;alert(1)">x</a><img src="&amp;#100;ata:x">'
    assert sanitize(html) == "x"
    assert sanitize(html, "post") == "x<img>"


def test_newlines_and_control_characters_in_comments() -> None:
    assert render_comment("a\r\nb\x00c") == "<p>a<br>\nbc</p>"


def test_file_names_are_not_linkified() -> None:
    assert render_comment("edit views.py") == "<p>edit views.py</p>"


def test_post_links_get_noopener_only_when_external() -> None:
    html = render_post("[out](https://example.com) [in](/about/)")
    assert '<a href="https://example.com" rel="noopener">out</a>' in html
    assert '<a href="/about/">in</a>' in html


def test_images_are_stripped_in_comments_and_kept_in_posts() -> None:
    source = "![A red bicycle](/media/bike.png)"
    assert "<img" not in render_comment(source)
    assert (
        render_post(source) == '<p><img alt="A red bicycle" src="/media/bike.png"></p>'
    )


def test_post_images_lose_data_urls() -> None:
    html = render_post("![x](data:image/png;base64,AAAA)")
    assert html == '<p><img alt="x"></p>'


def test_post_tables_align_cells_by_class_not_style_or_align() -> None:
    html = render_post("| a | b | c |\n|:--|--:|:-:|\n| 1 | 2 | 3 |\n")
    assert '<th class="align-left">a</th>' in html
    assert '<td class="align-right">2</td>' in html
    assert '<td class="align-center">3</td>' in html
    assert "style" not in html and "align=" not in html


def test_post_cells_keep_only_alignment_classes() -> None:
    html = render_post('<table><tr><td class="x" align="right">1</td></tr></table>')
    assert "<td>1</td>" in html


def test_post_fenced_code_is_highlighted_with_classes() -> None:
    html = render_post("```python\ndef f():\n    return [1]\n```\n")
    assert html.startswith('<div class="highlight"><pre><span></span><code>')
    assert '<span class="k">def</span>' in html
    assert "style" not in html


def test_post_footnotes_and_heading_ids_survive_prefixed() -> None:
    html = render_post("## A heading\n\nText.[^1]\n\n[^1]: The note.\n")
    assert '<h2 id="user-content-a-heading">A heading</h2>' in html
    assert (
        '<sup id="user-content-fnref:1">'
        '<a class="footnote-ref" href="#user-content-fn:1">1</a></sup>'
    ) in html
    assert '<li id="user-content-fn:1">' in html
    assert 'class="footnote-backref" href="#user-content-fnref:1"' in html


@pytest.mark.parametrize(
    "source",
    [
        "# Content",
        '<h2 id="content">Content</h2>',
        "<h3 id='content'>Content</h3>",
    ],
)
def test_heading_ids_cannot_take_the_pages_own(source: str) -> None:
    """The skip link's target is id="content"; a post's heading must not be it."""
    html = render_post(source)
    assert 'id="user-content-content"' in html
    assert 'id="content"' not in html


def test_intra_page_links_follow_their_prefixed_headings() -> None:
    html = render_post("[TOC]\n\n# Setup\n\nSee [setup](#setup) or [top](#).\n")
    assert '<a href="#user-content-setup">Setup</a>' in html  # the table of contents
    assert '<h1 id="user-content-setup">Setup</h1>' in html
    assert '<a href="#user-content-setup">setup</a>' in html
    assert '<a href="#">top</a>' in html


def test_stored_html_gets_prefixed_ids_once() -> None:
    """Re-sanitizing old HTML (``flask rerender``) prefixes it; again, nothing."""
    old = '<h2 id="comments">x</h2><p><a href="#comments">y</a></p>'
    once = sanitize(old, "post")
    assert once == (
        '<h2 id="user-content-comments">x</h2>'
        '<p><a href="#user-content-comments">y</a></p>'
    )
    assert sanitize(once, "post") == once


def test_comment_anchors_are_left_alone() -> None:
    """Comments have no ids; a link to the page's own parts stays one."""
    assert render_comment("[reply](#respond)") == (
        f'<p><a href="#respond" {UGC}>reply</a></p>'
    )


def test_renderer_version_was_bumped_for_prefixed_ids() -> None:
    """Stored HTML with unprefixed ids must be re-rendered (``flask rerender``)."""
    assert rendering.RENDERER_VERSION >= 2


@pytest.mark.parametrize(
    "bad_html",
    [
        '<a href="https://a.com/">\u202etxt.exe</a>',
        '<a href="https://a.com/">pay&#x200b;pal</a>',
        '<a href="https://a.com/&#8238;x">x</a>',
        "<p>&#8238;txt</p>",
        '<img alt="\u202dx">',
    ],
)
def test_spoofing_oracle_catches_spoofing(bad_html: str) -> None:
    with pytest.raises(AssertionError, match="spoofing"):
        assert_no_spoofing(bad_html)


@pytest.mark.parametrize("payload", SPOOFING)
@pytest.mark.parametrize(
    "render",
    [
        render_comment,
        render_post,
        lambda source: sanitize(source, "comment"),
        lambda source: sanitize(source, "post"),
        lambda source: sanitize(sanitize(source, "post"), "post"),
    ],
    ids=["comment", "post", "sanitize", "sanitize-post", "sanitize-twice"],
)
def test_spoofing_characters_are_removed(
    payload: str, render: Callable[[str], str]
) -> None:
    assert_no_spoofing(render(payload))


def test_reversed_link_text_reads_as_typed() -> None:
    assert render_comment("[\u202etxt.exe](https://a.com/)") == (
        f'<p><a href="https://a.com/" {UGC}>txt.exe</a></p>'
    )
    assert render_post("[&#8238;txt.exe](https://a.com/)") == (
        '<p><a href="https://a.com/" rel="noopener">txt.exe</a></p>'
    )


def test_right_to_left_writing_keeps_its_marks_and_joiners() -> None:
    """Outside links, text keeps RLM/LRM, ZWNJ/ZWJ and isolates; only the
    overrides (which reverse letters) go. Link text keeps none of them."""
    body = "\u2067سلام\u2069\u200f می\u200cخواهم 👩\u200d💻 \u202eoverride"
    assert render_comment(body) == (
        "<p>\u2067سلام\u2069\u200f می\u200cخواهم 👩\u200d💻 override</p>"
    )
    link = render_comment("[می\u200cخواهم\u200f](https://a.com/)")
    assert ">میخواهم</a>" in link


def test_post_classes_and_ids_are_allowlisted() -> None:
    html = sanitize(
        '<div class="admin-bar" id="x"><span class="k" onclick="x">a</span></div>',
        "post",
    )
    assert html == '<div><span class="k">a</span></div>'


def test_unknown_profile_is_an_error() -> None:
    with pytest.raises(ValueError, match="profile"):
        sanitize("<p>x</p>", "trusted")


@pytest.mark.parametrize("profile", ["comment", "post"])
@pytest.mark.parametrize(
    "source",
    [*CORPUS, "a < b & c > d", "<p><a href='/x' title='\"q\"'>y</a> www.example.com"],
)
def test_sanitize_is_idempotent(source: str, profile: str) -> None:
    once = sanitize(source, profile)
    assert sanitize(once, profile) == once
    rendered = render_comment(source) if profile == "comment" else render_post(source)
    assert sanitize(rendered, profile) == rendered


def test_excerpt_is_the_first_top_level_paragraph_with_text() -> None:
    html = render_post(
        "> A quote first.\n\n![only an image](/x.png)\n\nFirst *real* one.\n\nSecond."
    )
    assert excerpt_html(html) == "<p>First <em>real</em> one.</p>"
    assert excerpt_html(render_post("## Only a heading")) == ""
    assert excerpt_html("") == ""


def test_plain_text_decodes_and_collapses_whitespace() -> None:
    html = render_post("# Title\n\nFish &amp; *chips*\nand   peas.\n\n- one\n- two")
    assert plain_text(html) == "Title Fish & chips and peas. one two"


def test_render_inline_text_escapes_and_keeps_line_breaks() -> None:
    text = 'Ada <Lovelace>\r\n"Analyst" & poet'
    assert render_inline_text(text) == (
        "Ada &lt;Lovelace&gt;<br>\n&quot;Analyst&quot; &amp; poet"
    )


def test_rendering_is_thread_safe() -> None:
    sources = [f"Comment {i} with [a link](https://example.com/{i})" for i in range(40)]
    expected = [render_comment(source) for source in sources]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(render_comment, sources * 5))
    assert results == expected * 5


@pytest.mark.parametrize(
    "body",
    ["<div>" * 40000, "<a " * 60000, "<b>" * 2001, "<b>x</b> " * 10001],
    ids=["divs", "open-a", "just-over", "closed-but-too-many"],
)
def test_posts_with_pathological_html_are_refused_before_rendering(body):
    """Unclosed tags make rendering quadratic: a contributor's draft could
    otherwise hold a worker for half a minute."""
    with pytest.raises(rendering.ContentRejected, match="HTML tags"):
        rendering.render_post(body)


def test_many_tags_in_code_blocks_are_fine():
    html = rendering.render_post("```\n" + "<a " * 5000 + "\n```\n")
    assert html.count("&lt;a") == 5000
