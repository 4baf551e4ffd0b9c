"""What the API returns, as pydantic schemas: they validate every response and make the OpenAPI schema.

Plain pydantic models, not ninja.Schema: the data is already dicts, and ninja.Schema's
per-object ORM getter took a third of a 20-article list's time (measured).
"""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel as Schema


class Error(Schema):
    detail: str


class Rendition(Schema):
    url: str
    width: int
    height: int
    format: str


class LeadImage(Schema):
    url: str
    width: int
    height: int
    alt: str
    caption: str
    credit: str
    renditions: list[Rendition]


class Link(Schema):
    name: str
    slug: str
    url: str
    api_url: str


class ArticleSummary(Schema):
    id: int
    title: str
    slug: str
    url: str
    api_url: str
    dek: str
    published_at: datetime
    updated_at: datetime
    section: Link | None
    authors: list[Link]
    people: list[Link]
    places: list[Link]
    events: list[Link]
    lead_image: LeadImage | None


class Note(Schema):
    kind: Literal["correction", "update"]
    time: datetime
    text: str


class Article(ArticleSummary):
    body: str
    corrections: list[Note]


class ArticlePage(Schema):
    results: list[ArticleSummary]
    next: str | None
    next_cursor: str | None


class Tag(Link):
    description: str
    article_count: int
    articles_url: str


class TagPage(Schema):
    results: list[Tag]
    next: str | None
    next_cursor: str | None


class Section(Link):
    description: str
    article_count: int
    articles_url: str


class Author(Link):
    bio: str
    article_count: int
    articles_url: str


class AuthorPage(Schema):
    results: list[Author]
    next: str | None
    next_cursor: str | None


class SearchResult(ArticleSummary):
    snippet: str


class SearchPage(Schema):
    results: list[SearchResult]
    next: str | None
    next_cursor: str | None


class PageSummary(Schema):
    id: int
    title: str
    slug: str
    url: str
    api_url: str
    updated_at: datetime


class Page(PageSummary):
    body: str


class PagePage(Schema):
    results: list[PageSummary]
    next: str | None
    next_cursor: str | None
