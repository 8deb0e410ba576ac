"""Text inside the WordPress export's XML: CDATA sections as WordPress writes
them, escaped text and attributes, and nothing XML 1.0 forbids.

The export is written as text rather than through ElementTree (see
:mod:`blog.sitemaps.building` for why), so every value reaches the document
through one of these functions.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape, quoteattr

#: Characters XML 1.0 does not allow anywhere, not even as ``&#...;``:
#: controls but tab, newline and carriage return, lone surrogates, U+FFFE/F.
_FORBIDDEN = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(value: str) -> str:
    """``value`` without the characters XML 1.0 forbids."""
    return _FORBIDDEN.sub("", value)


def cdata(value: str) -> str:
    """``value`` in a CDATA section, as WordPress's ``wxr_cdata()`` writes it:
    a ``]]>`` inside is split across two sections, so it survives. A
    carriage return is written as ``&#13;`` between sections, since parsers
    turn a literal one into a newline."""
    text = xml_safe(value).replace("]]>", "]]]]><![CDATA[>")
    text = text.replace("\r", "]]>&#13;<![CDATA[")
    return f"<![CDATA[{text}]]>"


def text(value: str) -> str:
    """``value`` as element text (``&``, ``<`` and ``>`` escaped)."""
    return escape(xml_safe(value))


def attribute(value: str) -> str:
    """``value`` as a quoted attribute value, quotes included."""
    return quoteattr(xml_safe(value))
