"""The plain-text article format that `manage.py import_articles` reads.

A file is a title line, paragraphs separated by blank lines, short unpunctuated lines
between paragraphs as subheadings, an optional "Image Credit:" line and an optional
"Published by …" sign-off (see the command's --help). Parsing never touches the
database: the command checks every file first and writes in one transaction after.
"""

import re
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.utils.html import escape
from django.utils.text import slugify

from images.models import Image

from .models import Article

TITLE_MAX_CHARS = Article._meta.get_field("title").max_length
SLUG_MAX_CHARS = Article._meta.get_field("slug").max_length
DEFAULT_DEK_CHARS = 300
HEADING_MAX_CHARS = 80
# A line ending in one of these is a sentence (or a quotation), not a subheading.
TERMINAL_PUNCTUATION = tuple(".!?:;…”\"’'")
CREDIT_LINE = re.compile(r"image credit\s*:\s*(?P<credit>.*)", re.IGNORECASE)
# Short, so that a closing paragraph such as "Published by Penguin in 1995, the novel…"
# is not mistaken for the magazine's sign-off.
PUBLISHED_LINE = re.compile(r"published by\s+\S.{0,80}", re.IGNORECASE)
SENTENCE_END = re.compile(r"[.!?…][\"'”’)]*(?=\s)")
# Words whose full stop does not end a sentence in a dek ("Mr. Xi said").
ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "st",
    "mt",
    "jr",
    "sr",
    "gen",
    "col",
    "lt",
    "sgt",
    "capt",
    "gov",
    "sen",
    "rep",
    "pres",
    "rev",
    "fr",
    "no",
    "vs",
    "etc",
    "approx",
    "inc",
}


class FileProblem(Exception):
    """Why one file (an article or the --image) cannot be imported."""


@dataclass(frozen=True)
class ParsedArticle:
    path: Path
    title: str
    slug: str
    dek: str
    body: str
    credit: str = ""  # from the "Image Credit:" line; empty when the file has none


@contextmanager
def reading(what):
    """Turn the ways a file cannot be read into a FileProblem that says so."""
    try:
        yield
    except FileNotFoundError as error:
        raise FileProblem(f"no such {what}") from error
    except IsADirectoryError as error:
        raise FileProblem(f"is a directory, not {'an' if what[0] in 'aeiou' else 'a'} {what}") from error
    except PermissionError as error:
        raise FileProblem("cannot be read (permission denied)") from error
    except OSError as error:
        raise FileProblem(f"cannot be read ({error.strerror or error})") from error


def parse_file(path, *, slug=None, dek=None):
    text = read_text(path)
    return parse_article(path, text, slug=slug, dek=dek)


def read_text(path):
    with reading("file"):
        data = path.read_bytes()
    data = data.removeprefix(b"\xef\xbb\xbf")  # a byte-order mark some editors write
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise FileProblem(
            f"is not UTF-8 text (byte 0x{data[error.start]:02x} on line {line}); save it as UTF-8"
        ) from error
    if "\x00" in text:
        raise FileProblem("contains NUL bytes; is it a text file?")
    if not text.strip():
        raise FileProblem("is empty")
    return text


def parse_article(path, text, *, slug=None, dek=None):
    lines = [" ".join(line.split()) for line in text.splitlines()]
    title_index = next(index for index, line in enumerate(lines) if line)
    title = lines[title_index]
    check_title(title)
    rest = lines[title_index + 1 :]
    credit = take_credit(rest, first_line_number=title_index + 2)
    drop_published_by(rest)
    blocks = split_blocks(rest)
    if not blocks:
        raise FileProblem("has a title but no body paragraphs")

    slug = slug or slug_from_title(title)
    body = render_body(blocks)
    if dek is None:
        dek = first_sentence(" ".join(blocks[0]))
    return ParsedArticle(
        path=path, title=title, slug=slug, dek=" ".join(dek.split()), body=body, credit=credit
    )


def check_title(title):
    if CREDIT_LINE.fullmatch(title) or PUBLISHED_LINE.fullmatch(title):
        raise FileProblem(f"has no title: the first line is {title[:60]!r}")
    if len(title) > TITLE_MAX_CHARS:
        raise FileProblem(
            f"has no title: the first line is {len(title)} characters long, and a title is at most "
            f"{TITLE_MAX_CHARS} (is the title line missing?)"
        )


def take_credit(lines, *, first_line_number):
    """Remove the "Image Credit:" line from `lines` (in place) and return its credit."""
    found = [(index, match) for index, line in enumerate(lines) if (match := CREDIT_LINE.fullmatch(line))]
    if not found:
        return ""
    if len(found) > 1:
        numbers = ", ".join(str(first_line_number + index) for index, _ in found)
        raise FileProblem(f"has {len(found)} Image Credit lines (lines {numbers}); keep one")
    index, match = found[0]
    credit = match["credit"]
    limit = Image._meta.get_field("credit").max_length
    if not credit:
        raise FileProblem(f"line {first_line_number + index}: the Image Credit line names no one")
    if len(credit) > limit:
        raise FileProblem(
            f"line {first_line_number + index}: the image credit is {len(credit)} characters; the limit is {limit}"
        )
    lines[index] = ""  # a blank line: the credit also ends the paragraph above it
    return credit


def drop_published_by(lines):
    """Blank out "Published by …" lines at the end of `lines`, after the last paragraph."""
    for index in range(len(lines) - 1, -1, -1):
        if not lines[index]:
            continue
        if not PUBLISHED_LINE.fullmatch(lines[index]):
            return
        lines[index] = ""


def split_blocks(lines):
    """Group lines into blocks separated by blank lines; a block is one paragraph or heading."""
    blocks, current = [], []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def slug_from_title(title):
    slug = slugify(title, allow_unicode=True)[:SLUG_MAX_CHARS].strip("-_")
    if not slug:
        raise FileProblem(f"the title {title!r} gives an empty slug; pass --slug")
    return slug


def looks_like_heading(block):
    text = block[0]
    return (
        len(block) == 1
        and len(text) <= HEADING_MAX_CHARS
        and not text.endswith(TERMINAL_PUNCTUATION)
        and any(char.isalnum() for char in text)
    )


def render_body(blocks):
    """Paragraphs as <p>; a heading-like line between two paragraphs as <h2>. Text is escaped."""
    candidates = [looks_like_heading(block) for block in blocks]
    parts = []
    for index, block in enumerate(blocks):
        is_heading = (
            candidates[index]
            and 0 < index < len(blocks) - 1
            and not candidates[index - 1]
            and not candidates[index + 1]
        )
        tag = "h2" if is_heading else "p"
        parts.append(f"<{tag}>{escape(' '.join(block))}</{tag}>")
    return "\n".join(parts)


def first_sentence(paragraph, limit=DEFAULT_DEK_CHARS):
    for match in SENTENCE_END.finditer(paragraph):
        if not is_abbreviation(paragraph, match):
            return truncate_words(paragraph[: match.end()], limit)
    return truncate_words(paragraph, limit)


def is_abbreviation(text, match):
    """A full stop after "Mr", "U.S" or an initial, or one followed by a lower-case word."""
    following = text[match.end() :].lstrip()
    if following and following[0].islower():
        return True
    if text[match.start()] != ".":
        return False
    words = text[: match.start()].split()
    word = words[-1] if words else ""
    return len(word) == 1 or "." in word or word.lower() in ABBREVIATIONS


def truncate_words(text, limit):
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if not text[limit - 1].isspace() and " " in cut:
        cut = cut.rsplit(" ", 1)[0]  # drop the partial word
    return cut.rstrip(" ,;:–—-") + "…"


def duplicate_slugs(articles):
    seen, problems = {}, []
    for article in articles:
        if article.slug in seen:
            problems.append(
                f"{article.path}: has the same slug as {seen[article.slug]} ({article.slug}); "
                "import one of them, or give each its own title"
            )
        else:
            seen[article.slug] = article.path
    return problems
