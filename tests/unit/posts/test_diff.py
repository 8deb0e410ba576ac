"""Word-level differences: lines first, then the words of changed lines."""

from __future__ import annotations

from blog.posts.diff import Row, Segment, fold, is_changed, text_diff, word_diff


def _marked(segments: list[Segment] | tuple[Segment, ...]) -> str:
    """The segments as text, changes in brackets: [-old-] {+new+}."""
    marks = {"same": "{}", "del": "[-{}-]", "ins": "{{+{}+}}"}
    return "".join(marks[s.kind].format(s.text) for s in segments)


def test_changed_words_are_marked_and_the_rest_kept():
    assert (
        _marked(word_diff("The quick brown fox.", "The slow brown fox!"))
        == "The [-quick-]{+slow+} brown fox[-.-]{+!+}"
    )


def test_neighbouring_changed_words_read_as_one_change():
    # The space between two changed words joins them.
    assert _marked(word_diff("a b c", "x y c")) == "[-a b-]{+x y+} c"


def test_punctuation_is_its_own_word():
    assert _marked(word_diff("cats, dogs", "cats; dogs")) == "cats[-,-]{+;+} dogs"


def test_identical_text_has_no_change():
    rows = text_diff("one\ntwo", "one\ntwo")
    assert not is_changed(rows)


def test_lines_are_matched_before_words():
    old = "intro\nkeep this line\nchange me here\noutro"
    new = "intro\nkeep this line\nchanged you here\noutro"
    rows = text_diff(old, new, context=None)
    assert [row.changed for row in rows] == [False, False, True, False]
    assert _marked(rows[2].segments) == "[-change me-]{+changed you+} here"


def test_added_and_removed_lines():
    rows = text_diff("a\nb", "a\nb\nc", context=None)
    assert _marked(rows[-1].segments) == "{+c+}"
    rows = text_diff("a\nb\nc", "a\nc", context=None)
    assert [_marked(r.segments) for r in rows] == ["a", "[-b-]", "c"]


def test_unchanged_lines_far_from_a_change_are_folded():
    old = "\n".join(f"line {n}" for n in range(20))
    new = old.replace("line 10", "line ten")
    rows = text_diff(old, new, context=2)
    assert rows[0] == Row(skipped=8)
    assert [_marked(r.segments) for r in rows[1:6]] == [
        "line 8",
        "line 9",
        "line [-10-]{+ten+}",
        "line 11",
        "line 12",
    ]
    assert rows[6] == Row(skipped=7)


def test_a_single_unchanged_line_is_shown_rather_than_folded():
    rows = [Row((Segment("same", "x"),)), Row((Segment("del", "y"),), changed=True)]
    lone = [Row((Segment("same", "far"),)), *rows]
    assert fold(lone, context=1) == lone


def test_text_is_returned_as_typed_for_the_template_to_escape():
    segments = word_diff("<b>bold</b>", "<script>alert(1)</script>")
    assert "".join(s.text for s in segments if s.kind != "ins") == "<b>bold</b>"
    assert "".join(s.text for s in segments if s.kind != "del") == (
        "<script>alert(1)</script>"
    )


def test_a_long_rewrite_is_compared_quickly_and_completely():
    old = " ".join(f"word{n}" for n in range(5000))
    new = " ".join(f"word{n}" if n % 7 else f"WORD{n}" for n in range(5000))
    segments = word_diff(old, new)
    assert "".join(s.text for s in segments if s.kind != "ins") == old
    assert "".join(s.text for s in segments if s.kind != "del") == new
