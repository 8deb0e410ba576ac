"""Sample content for ``flask --app blog demo``, written for this project."""

from __future__ import annotations

import io
import secrets
from datetime import time, timedelta

from PIL import Image, ImageDraw
from sqlalchemy import select

from blog import accounts, events
from blog.extensions import db
from blog.media import Uploads, store_image
from blog.models import Media, PersonRole, Role, User, utcnow
from blog.posts import PostInput, SaveAction, save_post


class DemoExists(Exception):
    pass


AUTHORS = [
    {
        "username": "marta",
        "email": "marta@example.org",
        "name": "Marta Oyelaran",
        "bio": "Marta edits the garden column and keeps bees on a city roof.",
    },
    {
        "username": "tomas",
        "email": "tomas@example.org",
        "name": "Tomás Reyes",
        "bio": "Tomás writes about software that runs small websites well.",
    },
]

ARTICLES = [
    {
        "author": "marta",
        "title": "What the rooftop hives taught us this spring",
        "categories": "Gardening",
        "tags": "bees, city life",
        "body": """The first warm week of April sent both hives out in force.

> A colony is a weather report you can listen to:
> loud means nectar, quiet means rain.

We kept a short list of what changed our season:

- Moving the water dish into the shade
- Planting borage and thyme along the parapet
- Checking the frames every ten days, not every week

Nothing here is new, but writing it down helps next year's beekeeper.""",
    },
    {
        "author": "tomas",
        "title": "Serving a blog from one small machine",
        "categories": "Software",
        "tags": "python, sqlite, hosting",
        "body": """A blog with a few thousand readers a day fits on one machine.

SQLite in WAL mode lets readers carry on while a writer saves:

```python
import sqlite3

connection = sqlite3.connect("blog.sqlite3")
connection.execute("PRAGMA journal_mode=WAL")
```

When the site outgrows it, point the engine at PostgreSQL and add servers.""",
    },
    {
        "author": "marta",
        "title": "A planting calendar for a north-facing balcony",
        "categories": "Gardening",
        "tags": "balcony, planning",
        "body": """Shade is not the end of a garden; it only changes the list.

| Month | Sow | Harvest |
|-------|-----|---------|
| March | Lettuce, peas | — |
| May | Chard, mint | Radishes |
| August | Spinach | Beans, chard |

Water in the evening and feed every second week.""",
    },
    {
        "author": "tomas",
        "title": "Why comments wait for a moderator",
        "categories": "Community",
        "tags": "comments, moderation",
        "body": """Most comments on a small site are kind. A few are not,
and some are not from people at all.

1. Every comment is checked for spam before anyone sees it.
2. A first-time commenter waits for a moderator.
3. Once approved, they post straight away next time.

> Moderation is hospitality: you decide who sits at the table.""",
    },
    {
        "author": "marta",
        "title": "The community garden opens its gates",
        "categories": "Community",
        "tags": "city life, events",
        "body": """After two years of paperwork the lot on Elm Street is a garden.

![Raised beds in the morning light](IMAGE_URL)

Thirty-two families share the beds, and a tool shed built by volunteers.""",
    },
    {
        "author": "tomas",
        "title": "Markdown for people who write, not code",
        "categories": "Software",
        "tags": "writing, markdown",
        "body": """You already know most of Markdown from email.

- Wrap a word in `*stars*` for *emphasis*
- Start a line with `>` to quote someone
- Put a blank line between paragraphs

That is enough to write every article on this site.""",
    },
]


def _demo_image() -> io.BytesIO:
    """A small picture of raised beds, drawn rather than downloaded."""
    image = Image.new("RGB", (960, 540), (186, 214, 235))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 330, 960, 540), fill=(110, 80, 55))
    for x in range(40, 960, 230):
        draw.rectangle(
            (x, 360, x + 190, 470), fill=(84, 130, 60), outline=(60, 40, 25), width=6
        )
        for leaf in range(x + 20, x + 180, 30):
            draw.ellipse((leaf, 330, leaf + 24, 370), fill=(58, 150, 70))
    draw.ellipse((780, 40, 880, 140), fill=(250, 220, 120))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    return buffer


def load(uploads: Uploads) -> str:
    """Create the sample authors, articles and an event (commits).

    :param uploads: where the sample image is stored.
    :raises DemoExists: the sample authors are already there.
    """
    if db.session.scalar(select(User).where(User.username == AUTHORS[0]["username"])):
        raise DemoExists("The demo content is already loaded.")
    authors = {}
    for spec in AUTHORS:
        authors[spec["username"]] = accounts.create_user(
            spec["username"],
            spec["email"],
            secrets.token_urlsafe(24),
            Role.AUTHOR,
            spec["name"],
            spec["bio"],
        )
    media = store_image(_demo_image(), uploads, original_name="raised-beds.png")
    db.session.commit()
    start = utcnow() - timedelta(days=40)
    for number, spec in enumerate(ARTICLES):
        body = spec["body"].replace("IMAGE_URL", f"/media/{media.filename}")
        data = PostInput(
            title=spec["title"],
            body=body,
            categories=spec["categories"],
            tags=spec["tags"],
            publish_at=start + timedelta(days=6 * number, hours=9),
        )
        save_post(authors[spec["author"]], data, action=SaveAction.PUBLISH)
    _load_event(authors["marta"], media.filename)
    return (
        f"Loaded {len(AUTHORS)} authors, {len(ARTICLES)} articles and one event. "
        f"The sample authors ({', '.join(authors)}) have random passwords; to "
        "log in as one, give them a real password first: "
        "flask --app blog users set-password USERNAME"
    )


def _load_event(organiser: User, image_filename: str) -> None:
    """A workshop shaped like a university events-calendar page."""
    day = (utcnow() + timedelta(days=21)).date()
    people = [
        ("Amina Costa", "Riverside Community Garden", PersonRole.SPEAKER),
        ("Jonas Weber", "Northfield College, Botany", PersonRole.SPEAKER),
        ("Lucía Fernández", "City Parks Department", PersonRole.SPEAKER),
        ("Marta Oyelaran", "Rooftop Notes", PersonRole.MODERATOR),
    ]
    data = events.EventInput(
        post=PostInput(
            title="Growing food on city rooftops: a workshop",
            body=(
                "Three growers share what works on flat roofs and balconies: "
                "soil weight, water, wind and bees.\n\n"
                "Bring your questions; there is time for them at the end."
            ),
            categories="Community",
            publish_at=utcnow() - timedelta(days=1),
        ),
        start_date=day,
        start_time=time(16, 0),
        end_time=time(17, 30),
        timezone="America/New_York",
        venue_name="Elm Street Library",
        venue_address="12 Elm Street",
        room="Reading Room 2",
        contact_name="Tomás Reyes",
        contact_email="events@example.org",
        people=[events.PersonInput(n, a, role=r) for n, a, r in people],
        sponsors=[
            events.SponsorInput("Friends of Elm Street Garden"),
            events.SponsorInput("Northfield College Extension"),
        ],
        audiences=("The public", "Families", "Students, Undergraduate"),
        units=("Community Programs", "Library Events Office"),
    )
    post = events.save_event(organiser, data, action=SaveAction.PUBLISH)
    post.featured_image = db.session.scalar(
        select(Media).where(Media.filename == image_filename)
    )
    post.featured_image_alt = "Raised garden beds in morning light"
    db.session.commit()
