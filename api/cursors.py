"""Opaque cursors for keyset pagination: stable when articles are added while a client pages.

A cursor names the last item of a page by its sort key; the next page starts after it.
Bad cursors (edited, truncated, from another list) raise BadCursor, which the API
answers with a 400.
"""

import base64
import binascii
from datetime import datetime


class BadCursor(ValueError):
    pass


def encode(*parts):
    text = "|".join(str(part) for part in parts)
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _decode(cursor, count):
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError) as err:
        raise BadCursor("The cursor is not one this API gave out.") from err
    parts = text.split("|", count - 1)
    if len(parts) != count:
        raise BadCursor("The cursor is not one this API gave out.")
    return parts


def decode_article(cursor):
    """(published_at, id) from an article-list cursor."""
    moment, pk = _decode(cursor, 2)
    try:
        moment, pk = datetime.fromisoformat(moment), int(pk)
    except ValueError as err:
        raise BadCursor("The cursor is not one this API gave out.") from err
    if moment.tzinfo is None or pk < 1:
        raise BadCursor("The cursor is not one this API gave out.")
    return moment, pk


def decode_slug(cursor):
    (slug,) = _decode(cursor, 1)
    if not slug:
        raise BadCursor("The cursor is not one this API gave out.")
    return slug


def decode_offset(cursor):
    (offset,) = _decode(cursor, 1)
    if not offset.isdigit() or len(offset) > 6:
        raise BadCursor("The cursor is not one this API gave out.")
    return int(offset)
