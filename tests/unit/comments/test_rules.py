"""blog.comments.rules: the Discussion rules' links and words."""

from __future__ import annotations

from blog.comments import rules


def test_count_links():
    assert rules.count_links("no links here") == 0
    assert rules.count_links("see https://a.example and www.b.example") == 2
    assert rules.count_links("[x](http://a.example)") == 1


def test_word_matching():
    words = rules.word_list("  casino \n\nBad Phrase\n")
    assert words == ["casino", "Bad Phrase"]
    assert rules.matching_word(words, ["Visit the CASINOS"]) == "casino"
    assert rules.matching_word(words, ["", "this is a bad phrase"]) == "Bad Phrase"
    assert rules.matching_word(words, ["clean"]) is None
    assert rules.matching_word([], ["anything"]) is None
