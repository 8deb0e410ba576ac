"""The featured image's words: one line, no bidi controls, checked lengths."""

from __future__ import annotations

import pytest

from blog.media import ImageInput
from blog.posts.editing import PostError, check_image_input


def test_alt_text_and_caption_lose_bidi_controls():
    alt, caption = check_image_input(
        None, ImageInput(alt="\u202egnp.exe", caption="A  garden\u202e bed")
    )
    assert (alt, caption) == ("gnp.exe", "A garden bed")


@pytest.mark.parametrize(
    ("image", "field"),
    [
        (ImageInput(alt="two\nlines"), "featured_image_alt"),
        (ImageInput(alt="x" * 301), "featured_image_alt"),
        (ImageInput(caption="x" * 1001), "featured_image_caption"),
    ],
)
def test_refused_next_to_the_field(image, field):
    with pytest.raises(PostError) as caught:
        check_image_input(None, image)
    assert caught.value.field == field
