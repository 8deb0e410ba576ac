"""The theme unit test export, imported into the test app, and what the
file itself says (read with the standard library: it is trusted data)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flask import Flask

from blog.importing.importer import import_wordpress
from blog.importing.options import ImportOptions
from blog.importing.summary import Summary

FIXTURE = (
    Path(__file__).resolve().parents[4]
    / "shared"
    / "fixtures"
    / "wordpress"
    / "themeunittestdata.wordpress.xml"
)
WP = "{https://wordpress.org/export/1.2/}"


def run_import(app: Flask, path: Path = FIXTURE, **options: object) -> Summary:
    with app.app_context():
        return import_wordpress(path, ImportOptions(**options))  # type: ignore[arg-type]


@dataclass(frozen=True)
class FixtureItem:
    wp_id: int
    post_type: str
    status: str
    title: str
    link: str
    parent: int
    password: str


@cache
def fixture_items() -> tuple[FixtureItem, ...]:
    channel = ET.parse(FIXTURE).getroot().find("channel")
    assert channel is not None
    return tuple(
        FixtureItem(
            wp_id=int(item.findtext(f"{WP}post_id") or 0),
            post_type=item.findtext(f"{WP}post_type") or "",
            status=item.findtext(f"{WP}status") or "",
            title=item.findtext("title") or "",
            link=item.findtext("link") or "",
            parent=int(item.findtext(f"{WP}post_parent") or 0),
            password=item.findtext(f"{WP}post_password") or "",
        )
        for item in channel.findall("item")
    )


@cache
def fixture_commenters() -> tuple[frozenset[str], frozenset[str]]:
    """Every commenter's email and IP address in the file."""
    channel = ET.parse(FIXTURE).getroot().find("channel")
    assert channel is not None
    emails, ips = set(), set()
    for comment in channel.iter(f"{WP}comment"):
        if email := (comment.findtext(f"{WP}comment_author_email") or "").strip():
            emails.add(email)
        if ip := (comment.findtext(f"{WP}comment_author_IP") or "").strip():
            ips.add(ip)
    return frozenset(emails), frozenset(ips)


def attached_files() -> list[str]:
    """Each attachment's path under ``uploads/``, as the importer looks for it."""
    channel = ET.parse(FIXTURE).getroot().find("channel")
    assert channel is not None
    paths = []
    for item in channel.findall("item"):
        if item.findtext(f"{WP}post_type") == "attachment":
            url = item.findtext(f"{WP}attachment_url") or ""
            paths.append(url.split(".wordpress.com/", 1)[1])
    return paths
