"""The demo content that `manage.py load_demo` puts on a fresh site, read from data files.

The words live where an editor can read and change them, not in Python strings:

* `content/magazine.json`: the sections, authors, tags (with descriptions) and the
  illustrations' credit;
* `content/stories/NN-<slug>.html`: one article each, in page order. A JSON block between
  two `---` lines holds its fields (corrections and updates under "notes"); the rest of
  the file is the body, as the editor stores it (sanitized HTML);
* `content/pages/<slug>.html`: the magazine's own pages (About, Contact), the same way.

Sections, authors and articles are matched by slug and tags by name, so the loader can
tell what is already there. Publication times are ages (`"published_ago": {"hours": 5}`),
so the home page looks current whenever the demo is loaded. Each article's artwork says
how its lead illustration is painted and what the picture shows (its alt text).

A story may also list "figures": more illustrations, by name, for the image library. Its
body refers to them as `data-image="@name"` or `data-gallery="@a,@b,@c"`; load_demo
paints them first and writes their ids in place of the names before it saves the story
(the sanitizer keeps only ids of images that exist).
"""

import json
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

CONTENT = Path(__file__).resolve().parent / "content"
FRONT_MATTER = "---\n"


@dataclass(frozen=True)
class DemoSection:
    name: str
    slug: str
    description: str
    position: int


@dataclass(frozen=True)
class DemoAuthor:
    name: str
    slug: str
    bio: str


@dataclass(frozen=True)
class DemoTag:
    vocabulary: str  # "people", "places" or "events": the Article field
    name: str
    description: str = ""


@dataclass(frozen=True)
class Artwork:
    """An abstract lead illustration: a motif painted in a palette (RGB triples)."""

    motif: str  # "orbits", "bands", "blocks", "stripes", "waves", "rays" or "horizon"
    background: tuple  # two colours: a gradient from the first to the second
    colours: tuple  # the motif's colours, in order of prominence
    alt: str  # what the finished picture shows


@dataclass(frozen=True)
class DemoArticle:
    slug: str
    title: str
    dek: str
    section: str  # a DemoSection slug
    authors: tuple  # DemoAuthor slugs, in byline order; empty for a site byline
    people: tuple
    places: tuple
    events: tuple
    age: timedelta  # published this long before the demo is loaded
    artwork: Artwork
    caption: str
    body: str
    edited_after: timedelta | None = field(default=None)  # an edit this long after publication
    # Corrections and updates: (kind, this long after publication, text).
    notes: tuple = field(default=())
    # Illustrations the body shows as figures: (name, Artwork), in the order they are painted.
    figures: tuple = field(default=())


@dataclass(frozen=True)
class DemoPage:
    """One of the magazine's own pages (pages.Page), matched by slug."""

    slug: str
    title: str
    footer_order: int
    body: str


def _read(path):
    """The JSON fields and the body of a content file."""
    text = path.read_text(encoding="utf-8")
    if not text.startswith(FRONT_MATTER):
        raise ValueError(f"{path}: the file starts with a JSON block between two '---' lines.")
    front, body = text[len(FRONT_MATTER) :].split(FRONT_MATTER, 1)
    return json.loads(front), body


def _artwork(fields):
    return Artwork(
        motif=fields["motif"],
        background=tuple(map(tuple, fields["background"])),
        colours=tuple(map(tuple, fields["colours"])),
        alt=fields["alt"],
    )


def _article(path):
    fields, body = _read(path)
    artwork = fields.pop("artwork")
    edited_after = fields.pop("edited_after", None)
    return DemoArticle(
        slug=path.stem.split("-", 1)[1],
        title=fields["title"],
        dek=fields["dek"],
        section=fields["section"],
        authors=tuple(fields["authors"]),
        people=tuple(fields["people"]),
        places=tuple(fields["places"]),
        events=tuple(fields["events"]),
        age=timedelta(**fields["published_ago"]),
        artwork=_artwork(artwork),
        caption=fields["caption"],
        body=body,
        edited_after=timedelta(**edited_after) if edited_after else None,
        notes=tuple(
            (note["kind"], timedelta(**note["after_publication"]), note["text"])
            for note in fields.get("notes", ())
        ),
        figures=tuple((name, _artwork(figure)) for name, figure in fields.get("figures", {}).items()),
    )


def _page(path):
    fields, body = _read(path)
    return DemoPage(slug=path.stem, title=fields["title"], footer_order=fields["footer_order"], body=body)


_magazine = json.loads((CONTENT / "magazine.json").read_text(encoding="utf-8"))
IMAGE_CREDIT = _magazine["image_credit"]
SECTIONS = tuple(DemoSection(**item) for item in _magazine["sections"])
AUTHORS = tuple(DemoAuthor(**item) for item in _magazine["authors"])
TAGS = tuple(DemoTag(**item) for item in _magazine["tags"])
ARTICLES = tuple(_article(path) for path in sorted((CONTENT / "stories").glob("*.html")))
PAGES = tuple(
    sorted((_page(path) for path in (CONTENT / "pages").glob("*.html")), key=lambda page: page.footer_order)
)
