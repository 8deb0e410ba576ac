"""Media: the library of uploads, served at ``/media/<name>`` under names the
server chooses.

- ``images``: decoding, cleaning and storing images within the site's limits;
- ``variants``: their resized copies (WebP and a like format) for ``srcset``;
- ``files``: any upload (an image, or a PDF attachment) and finding a file
  to serve;
- ``markup``: library images and links in rendered bodies (``media:ID``);
- ``library``: the library's services (browse, upload, edit, delete, where
  each upload is used), with ``permissions``;
- ``cli``: ``flask --app blog media clean|variants``.

``library`` is imported by the views and the command line only: it uses
:mod:`blog.posts`, which uses this package.
"""

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
