"""What is refused before Markdown runs: comments too long, and shapes of
input (bracket runs, deep nesting, unclosed tags) that would make Markdown or
the sanitizer slow, each with a sentence the writer can act on."""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import cast

from markdown.extensions.fenced_code import FencedBlockPreprocessor
from markdown.inlinepatterns import BACKTICK_RE, BacktickInlineProcessor

COMMENT_MAX_CHARS: int = 5000
COMMENT_MAX_BYTES: int = 20000

# Python-Markdown scans forward from every "[" and every "](" for its match,
# once per link pattern: quadratic. A unit is one character scanned (about
# half a microsecond), so the worst accepted input renders in about 0.1 s.
_BRACKET_BUDGET = 150_000
# "1. 1. 1. ..." or ">>>>" on one line nests that deep: Markdown runs out of
# stack near 600 levels and html5lib slows down quadratically with depth.
_MAX_NESTING = 20
_NESTING_RE = re.compile(
    r"^[ \t]*(?:(?:[-+*]|\d{1,9}[.)])[ \t]+|>[ \t]*)" + f"{{{_MAX_NESTING + 1}}}", re.M
)
# Raw HTML tags left open make Markdown and the sanitizer slow down
# quadratically ("<a " * 5000 takes seconds); closed ones cost less, but not
# nothing (20,000 tags take about a second).
_MAX_UNCLOSED_TAGS = 2000
_MAX_TAGS = 20_000
_TAG_OPEN_RE = re.compile(r"<[A-Za-z]")
_TAG_CLOSE_RE = re.compile(r"</[A-Za-z]")
_BLANK_LINE_RE = re.compile(r"\n[ \t]*\n")
_FENCED_RE = FencedBlockPreprocessor.FENCED_BLOCK_RE
_BACKTICK_RE = re.compile(BACKTICK_RE)
_CODE_SPANS = BacktickInlineProcessor(BACKTICK_RE)
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE_RE = re.compile(r"[\ud800-\udfff]")


class ContentRejected(ValueError):
    """Raised with a sentence to show next to the field; nothing is truncated."""


def _mask_code(chunk: str) -> tuple[str, int]:
    """Blank out code spans where Markdown finds them (they hide brackets), and
    count what that search scans: an unmatched run of backticks scans to the end.
    """
    spans: list[tuple[int, int]] = []
    index = cost = 0
    while (
        cost <= _BRACKET_BUDGET
        and (found := _BACKTICK_RE.search(chunk, index)) is not None
    ):
        begin = found.end() if found.group(1) else found.start()
        # types-Markdown says "tuple[int, int] | None"; the code gives (start, None).
        start, end = cast(
            "tuple[int, int | None]", _CODE_SPANS.find_code_spans(begin, chunk)
        )
        cost += (len(chunk) if end is None else end) - begin
        index = max(start, begin + 1) if end is None else end + start - begin
        if end is not None:
            spans.append((begin, index))
    pieces, last = [], 0
    for begin, end in spans:
        pieces += [chunk[last:begin], " " * (end - begin)]
        last = end
    return "".join(pieces) + chunk[last:], cost


def _bracket_cost(source: str) -> int:
    """Upper bound on the characters Markdown's link patterns will scan.

    Fenced code is never scanned, inline text never spans a blank line, and
    code spans and backslash escapes hide brackets, all as in Markdown.
    """
    cost = 0
    for chunk in _BLANK_LINE_RE.split(_FENCED_RE.sub("\n\n", source)):
        chunk, scanned = _mask_code(chunk)
        cost += scanned
        size, i = len(chunk), 0
        squares: list[int] = []
        rounds: list[int] = []
        quotes: list[int] = []
        closing: dict[int, int] = {}
        while i < size:
            char = chunk[i]
            if char == "\\":
                i += 1  # skip the escaped character
            elif char == "[":
                squares.append(i)
            elif char == "]" and squares:
                cost += i - squares.pop()
            elif char == "(":
                rounds.append(i)
            elif char == ")" and rounds:
                closing[rounds.pop()] = i
            elif char in "'\"":
                quotes.append(i)
            i += 1
        cost += sum(size - start for start in squares)
        for found in re.finditer(r"\]\(", chunk):  # each link destination
            start = found.start() + 1
            end = closing.get(start, size)
            after = bisect_right(quotes, start)
            if after < len(quotes) and quotes[after] < end:  # titles backtrack
                end = size
            cost += end - start
    return cost


def check_structure(text: str, subject: str) -> None:
    """Reject input that would make Markdown slow or overflow its stack."""
    if _NESTING_RE.search(text):
        raise ContentRejected(
            f"{subject} nests lists or quotes more than {_MAX_NESTING} levels "
            "deep; please flatten it."
        )
    if _bracket_cost(text) > _BRACKET_BUDGET:
        raise ContentRejected(
            f"{subject} has too many unmatched brackets, such as “[” without “]”; "
            "please close or remove some."
        )
    outside_code = _FENCED_RE.sub("", text)
    opened = len(_TAG_OPEN_RE.findall(outside_code))
    closed = len(_TAG_CLOSE_RE.findall(outside_code))
    if opened - closed > _MAX_UNCLOSED_TAGS:
        raise ContentRejected(
            f"{subject} has more than {_MAX_UNCLOSED_TAGS:,} HTML tags that are "
            "never closed; please close or remove some."
        )
    if opened + closed > _MAX_TAGS:
        raise ContentRejected(
            f"{subject} has more than {_MAX_TAGS:,} HTML tags; please split it "
            "or write more of it in Markdown."
        )


def normalize(source: str) -> str:
    """One newline per line break, whatever the browser sent."""
    return source.replace("\r\n", "\n").replace("\r", "\n")


def check_comment_source(source: str) -> None:
    """Reject a comment body before rendering, with a reason the commenter can act on.

    Lengths count characters as typed (CRLF counts as one newline). Never
    truncates. Also refuses inputs that are pathological for Markdown.
    """
    text = normalize(source)
    if not CONTROL_RE.sub("", text).strip():
        raise ContentRejected("Please write a comment before posting.")
    if len(text) > COMMENT_MAX_CHARS:
        raise ContentRejected(
            f"Your comment is {len(text):,} characters; "
            f"the limit is {COMMENT_MAX_CHARS:,}."
        )
    if _SURROGATE_RE.search(text):
        raise ContentRejected("Your comment contains an invalid character.")
    size = len(text.encode("utf-8"))
    if size > COMMENT_MAX_BYTES:
        raise ContentRejected(
            f"Your comment takes {size:,} bytes; the limit is {COMMENT_MAX_BYTES:,} "
            "(characters such as emoji take up to four bytes each)."
        )
    check_structure(text, "Your comment")
