"""Word-level differences between two versions of a text, for the revisions
screen.

Lines are matched first, then the words of the lines that changed, so a long
post is compared quickly and the result reads like the document: unchanged
lines far from any change are folded into a count. What comes back is plain
text cut into segments; the template escapes it (the text is untrusted) and
wraps the changes in ``<ins>`` and ``<del>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

SegmentKind = Literal["same", "ins", "del"]

#: Words, runs of white space, and each other character on its own, so that
#: "cat," and "cat." differ by their punctuation only.
TOKENS = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)
#: Above this many tokens on either side difflib's junk heuristic is used:
#: slightly rougher on very long rewrites, never slow.
AUTOJUNK_FROM = 2000
#: Unchanged lines shown on either side of a change.
CONTEXT = 2


@dataclass(frozen=True)
class Segment:
    kind: SegmentKind
    text: str


@dataclass(frozen=True)
class Row:
    """A block of the diff: unchanged text, a change (its segments), or
    ``skipped`` unchanged lines folded away."""

    segments: tuple[Segment, ...] = ()
    changed: bool = False
    skipped: int = 0


def tokens(text: str) -> list[str]:
    return TOKENS.findall(text)


def word_diff(old: str, new: str) -> list[Segment]:
    """``old`` to ``new`` as runs of kept, deleted and inserted text.

    A run of white space alone between two changes joins them, so that
    "<del>a b</del><ins>x y</ins>" reads better than alternating words.
    """
    a, b = tokens(old), tokens(new)
    matcher = SequenceMatcher(None, a, b, autojunk=max(len(a), len(b)) > AUTOJUNK_FROM)
    pieces: list[tuple[str, str, str]] = []  # (tag, old text, new text)
    for opcode, i1, i2, j1, j2 in matcher.get_opcodes():
        pieces.append((opcode, "".join(a[i1:i2]), "".join(b[j1:j2])))
    merged: list[tuple[str, str, str]] = []
    for index, (tag, old_text, new_text) in enumerate(pieces):
        after_change = bool(merged) and merged[-1][0] != "equal"
        before_change = index + 1 < len(pieces) and pieces[index + 1][0] != "equal"
        blank_between = tag == "equal" and not old_text.strip() and before_change
        if after_change and (tag != "equal" or blank_between):
            _, last_old, last_new = merged.pop()
            merged.append(("replace", last_old + old_text, last_new + new_text))
        else:
            merged.append((tag, old_text, new_text))
    segments: list[Segment] = []
    for tag, old_text, new_text in merged:
        if tag == "equal":
            segments.append(Segment("same", old_text))
            continue
        if old_text:
            segments.append(Segment("del", old_text))
        if new_text:
            segments.append(Segment("ins", new_text))
    return segments


def text_diff(old: str, new: str, *, context: int | None = CONTEXT) -> list[Row]:
    """The rows of a diff from ``old`` to ``new``, line by line, with the
    changed lines compared word by word.

    :param context: unchanged lines kept around each change; ``None`` keeps
        them all.
    """
    a, b = old.splitlines(), new.splitlines()
    matcher = SequenceMatcher(None, a, b)
    rows: list[Row] = []
    for opcode, i1, i2, j1, j2 in matcher.get_opcodes():
        if opcode == "equal":
            rows += [Row((Segment("same", line),)) for line in a[i1:i2]]
        else:
            before, after = "\n".join(a[i1:i2]), "\n".join(b[j1:j2])
            rows.append(Row(tuple(word_diff(before, after)), changed=True))
    return rows if context is None else fold(rows, context)


def fold(rows: list[Row], context: int) -> list[Row]:
    """Unchanged rows further than ``context`` from a change, folded into
    one row that counts them."""
    changed = [index for index, row in enumerate(rows) if row.changed]
    keep = {
        index
        for at in changed
        for index in range(at - context, at + context + 1)
        if 0 <= index < len(rows)
    }
    folded: list[Row] = []
    run: list[Row] = []

    def end_run() -> None:
        # A single unchanged line is shown: folding it would save nothing.
        folded.extend(run if len(run) < 2 else [Row(skipped=len(run))])
        run.clear()

    for index, row in enumerate(rows):
        if index in keep or row.changed:
            end_run()
            folded.append(row)
        else:
            run.append(row)
    end_run()
    return folded


def is_changed(rows: list[Row]) -> bool:
    return any(row.changed for row in rows)
