"""Media: images people upload, decoded, cleaned and stored under names the
server chooses (``/media/<name>``). Featured images and the promo block use it;
a media library will grow here."""

from blog.media.images import (
    ImageInput,
    ImageRejected,
    Recleaned,
    Uploads,
    clean_stored,
    find_media,
    store_image,
)

__all__ = [
    "ImageInput",
    "ImageRejected",
    "Recleaned",
    "Uploads",
    "clean_stored",
    "find_media",
    "store_image",
]
