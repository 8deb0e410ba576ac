"""Writing an export as it is made: to a file (the command line) or to a
download (the dashboard), a few tens of kilobytes at a time, never the
whole document in memory."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import IO

#: Characters gathered before a write: few system calls, little memory.
CHUNK_SIZE = 64 * 1024


def buffered(chunks: Iterable[str], size: int = CHUNK_SIZE) -> Iterator[str]:
    """``chunks`` joined into pieces of about ``size`` characters."""
    pending: list[str] = []
    length = 0
    for chunk in chunks:
        pending.append(chunk)
        length += len(chunk)
        if length >= size:
            yield "".join(pending)
            pending, length = [], 0
    if pending:
        yield "".join(pending)


def write_chunks(out: IO[str], chunks: Iterable[str]) -> None:
    """Write ``chunks`` to ``out`` (a text stream, UTF-8) as they come."""
    for piece in buffered(chunks):
        out.write(piece)
