"""Deterministic prose for the benchmark's posts and comments.

The article has the shape PERFORMANCE.md describes (about 860 words, with
headings, a list and a quote), so that figures compare with the WordPress
install measured beside it. The words come from a fixed pool of sentences
picked with a seeded generator: every run builds the same pages.
"""

from __future__ import annotations

import random
import re

SENTENCES = [
    "The first warm week of April sent everyone on the street out to the garden.",
    "Nobody planned the meeting, yet by noon twenty neighbours stood by the gate.",
    "We had a map drawn in pencil, three borrowed spades and more opinions than beds.",
    "The soil had not been turned for a decade and it showed in every "
    "handful we lifted.",
    "Clay near the fence, sand by the shed, and a surprising band of dark "
    "loam in the middle.",
    "Someone suggested a soil test, and the results arrived two weeks "
    "later in a brown envelope.",
    "They confirmed what the dandelions had been telling us all along: "
    "too little lime.",
    "We agreed to start small, with six raised beds and a compost bay "
    "built from pallets.",
    "The library lent us a book on companion planting that nobody returned "
    "for a whole season.",
    "Beans climbed the old chain-link fence faster than anyone expected.",
    "By July the tomatoes needed stakes, the stakes needed string, and the "
    "string ran out twice.",
    "A retired carpenter from number forty built a bench that is still the "
    "best seat in the garden.",
    "Children learned to tell a weed from a seedling, mostly by pulling up "
    "the seedlings first.",
    "Water was the hardest problem, because the only tap belonged to the "
    "school next door.",
    "The school agreed to share it in exchange for a bed of their own and "
    "a weekly lesson.",
    "We kept a notebook by the shed where anyone could write what they "
    "planted and when.",
    "Reading it now, the notebook is half diary, half argument about "
    "where the pumpkins should go.",
    "The pumpkins, for the record, went everywhere.",
    "Slugs arrived in August and stayed until the first frost, unimpressed "
    "by beer traps.",
    "A hedgehog took up residence under the compost bay and did more than "
    "all the traps together.",
    "The harvest festival in September fed about sixty people from a single "
    "long table.",
    "Every dish had at least one thing grown within a hundred metres of "
    "where it was eaten.",
    "The bean soup ran out first, which settled a long debate about what "
    "to plant more of.",
    "Over the winter we mended the fence, sharpened the tools and sketched "
    "next year's beds.",
    "The sketches grew more ambitious with every meeting and every pot of tea.",
    "Some ideas were wonderful and some were a pond, which the insurance "
    "company politely refused.",
    "In spring the school's bed came up first, a neat grid of radishes "
    "labelled in crayon.",
    "We learned that a garden is mostly a schedule that people agree to "
    "keep for each other.",
    "It is also a place where strangers become neighbours over a wheelbarrow.",
    "Next season we hope to add a herb spiral, a rain barrel and a proper "
    "tool library.",
]

HEADINGS = ["Starting from bare ground", "The first summer", "What we would keep"]
LIST_ITEMS = [
    "Test the soil before buying anything",
    "Share the water and the work by a written rota",
    "Build raised beds where the ground is poor",
    "Keep a notebook everyone can write in",
    "Leave a corner wild for the hedgehogs",
]
QUOTE = (
    "> A garden is a weather report you can walk through:\n"
    "> loud with bees means nectar, quiet means rain."
)
INLINE = [
    ("soil test", "[soil test](https://example.org/soil)"),
    ("companion planting", "*companion planting*"),
    ("compost bay", "**compost bay**"),
]

WORDS = re.compile(r"[\w'’-]+")


def word_count(markdown: str) -> int:
    """Words a reader sees (Markdown punctuation and link targets left out)."""
    visible = re.sub(r"\]\([^)]*\)", "]", markdown)
    return len(WORDS.findall(visible))


def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(rng.sample(SENTENCES, sentences))


def article_body(words: int = 860, seed: int = 11) -> str:
    """An article of exactly ``words`` visible words: three headings, a
    five-item list, a two-line quote and paragraphs in between."""
    rng = random.Random(seed)
    blocks: list[str] = [paragraph(rng, 4)]
    blocks += [f"## {HEADINGS[0]}", paragraph(rng, 5), paragraph(rng, 4)]
    blocks += ["\n".join(f"- {item}" for item in LIST_ITEMS)]
    blocks += [f"## {HEADINGS[1]}", paragraph(rng, 5), QUOTE, paragraph(rng, 4)]
    blocks += [f"## {HEADINGS[2]}"]
    while word_count("\n\n".join(blocks)) < words:
        blocks.append(paragraph(rng, 4))
    excess = word_count("\n\n".join(blocks)) - words
    last = blocks[-1].split(" ")
    blocks[-1] = " ".join(last[: len(last) - excess]).rstrip(",;:") + "."
    body = "\n\n".join(blocks)
    for plain, marked in INLINE:
        body = body.replace(plain, marked, 1)
    return body


def short_body(rng: random.Random, paragraphs: int = 3) -> str:
    """A shorter post (about 60 words a paragraph)."""
    return "\n\n".join(paragraph(rng, 4) for _ in range(paragraphs))


COMMENT_OPENERS = [
    "Lovely write-up.",
    "This brought back memories of our own allotment.",
    "Thank you for sharing the details.",
    "I walked past the garden last week and it looks wonderful.",
    "Great to read how it all started.",
    "We tried the same thing on our street.",
]


def comment_body(rng: random.Random) -> str:
    """A reader's comment of one to three sentences after an opener."""
    sentences = [rng.choice(COMMENT_OPENERS)]
    sentences += rng.sample(SENTENCES, rng.randint(1, 3))
    return " ".join(sentences)
