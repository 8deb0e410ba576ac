"""blog.search.text: plain text for the index, escaped snippets out of it."""

from __future__ import annotations

from markupsafe import Markup

from blog.search.text import END, START, document_text, highlight, plain_text
from tests.payloads import assert_safe_html


def test_plain_text_of_html():
    html = (
        "<h2>Title</h2><p>One&nbsp;<em>two</em> &amp; &lt;three&gt;</p>"
        "<ul><li>four</li><li>five</li></ul><p>six<br>seven</p>"
        '<figure><img src="/x.png" alt="a heron"><figcaption>cap</figcaption></figure>'
    )
    assert plain_text(html) == "Title One two & <three> four five six seven a heron cap"


def test_plain_text_drops_the_sentinels():
    assert plain_text(f"<p>a{START}b{END}c</p>") == "abc"
    assert plain_text(f"a{START}b") == "ab"


def test_document_text_leaves_out_an_excerpt_made_from_the_body():
    assert document_text("<p>Body</p>", "", ["News", "Tag &amp; more"]) == (
        "Body\nNews\nTag & more"
    )
    assert document_text("<p>Body</p>", "<p>Summary</p>", []) == "Body\nSummary"


def test_highlight_escapes_everything_but_its_marks():
    snippet = highlight(f'<script>alert(1)</script> {START}"meet"{END} & go')
    assert isinstance(snippet, Markup)
    assert snippet == (
        "&lt;script&gt;alert(1)&lt;/script&gt; <mark>&#34;meet&#34;</mark> &amp; go"
    )
    assert_safe_html(str(snippet), allowed_tags=frozenset({"mark"}))


def test_highlight_balances_stray_sentinels():
    assert highlight(f"a{END}b{START}c{START}d") == "ab<mark>cd</mark>"
    assert highlight(f"{START}{END}x") == "<mark></mark>x"
    assert highlight("") == ""
