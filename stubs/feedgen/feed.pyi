# The parts of feedgen's FeedGenerator that blog/feeds uses.
from datetime import datetime
from typing import Any

from feedgen.entry import FeedEntry

class FeedGenerator:
    def __init__(self) -> None: ...
    def load_extension(self, name: str, atom: bool = ..., rss: bool = ...) -> None: ...
    def id(self, id: str | None = ...) -> str: ...
    def title(self, title: str | None = ...) -> str: ...
    def link(
        self, link: Any = ..., replace: bool = ..., **kwargs: str
    ) -> list[dict[str, str]]: ...
    def language(self, language: str | None = ...) -> str: ...
    def generator(
        self,
        generator: str | None = ...,
        version: str | None = ...,
        uri: str | None = ...,
    ) -> Any: ...
    def updated(self, updated: datetime | str | None = ...) -> datetime: ...
    def lastBuildDate(
        self,
        lastBuildDate: datetime | str | None = ...,
    ) -> datetime: ...
    def author(
        self, author: Any = ..., replace: bool = ..., **kwargs: str
    ) -> list[dict[str, str]]: ...
    def description(self, description: str | None = ...) -> str: ...
    def subtitle(self, subtitle: str | None = ...) -> str: ...
    def add_entry(
        self,
        feedEntry: FeedEntry | None = ...,
        order: str = ...,
    ) -> FeedEntry: ...
    def rss_str(
        self,
        pretty: bool = ...,
        extensions: bool = ...,
        encoding: str = ...,
        xml_declaration: bool = ...,
    ) -> bytes: ...
    def atom_str(
        self,
        pretty: bool = ...,
        extensions: bool = ...,
        encoding: str = ...,
        xml_declaration: bool = ...,
    ) -> bytes: ...
