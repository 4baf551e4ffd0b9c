"""The A–Z indexes: which letter a name files under, and a vocabulary's names by letter (issue 12).

A name files under its first character with accents folded (Émile → E, Łódź → L,
Øresund → O); a name that starts with a digit, a sign or a letter of another script
(习近平, Αθήνα) files under "#", the "Other" page. Folding is Python's (Unicode NFKD),
not the database's, which cannot fold portably: the database groups the names by their
first character, Python folds each character once, and a letter's page asks for the
names whose first character is one of its characters (at most a few dozen: E, e, É, é,
È…). The "Other" page asks for those whose first character is none of the Latin ones,
since names in other scripts can start with thousands of different characters.
"""

import unicodedata
from urllib.parse import quote

from django.db.models import Count
from django.db.models.functions import Lower, Substr
from django.urls import reverse
from django.utils.html import escape

from pagecache import versions

from .models import Article

OTHER = "#"
LETTERS = [*"ABCDEFGHIJKLMNOPQRSTUVWXYZ", OTHER]
# A page holds at most NAMES_PER_PAGE names, and fewer when their names and addresses
# would take more than NAMES_BYTES of HTML: with the masthead, the letters and the footer
# a page stays under 100 KB whatever the names (a hundred characters of 习近平 make a
# 1.2 KB entry, its address percent-encoded). NAME_OVERHEAD is an entry's markup
# around the name and address: the list item, the count and its hidden "articles".
NAMES_PER_PAGE = 200
NAMES_BYTES = 80_000
NAME_OVERHEAD = 140
# Latin letters that NFKD leaves alone, by their usual transliteration's initial.
FOLDS = {"Æ": "A", "Ð": "D", "Đ": "D", "Ħ": "H", "Ł": "L", "Ŋ": "N", "Œ": "O", "Ø": "O", "Þ": "T", "Ŧ": "T"}


def index_letter(name):
    """The letter a name files under: "A"–"Z", or "#" for anything else."""
    first = unicodedata.normalize("NFKD", name[:1])[:1].upper()[:1]  # ß upper-cases to "SS"
    first = FOLDS.get(first, first)
    return first if "A" <= first <= "Z" else OTHER


def published_tags(vocabulary, letter=None, initials=None):
    """The vocabulary's tags that published articles carry, each with `article_count`, in index order.

    Given a letter and the vocabulary's letter_initials(), only the names under that letter.
    """
    tags = vocabulary.model.objects.filter(tagged_articles__content_object__in=Article.objects.published())
    if letter == OTHER:
        latin = [
            character for key, (_, characters) in initials.items() if key != OTHER for character in characters
        ]
        tags = tags.alias(initial=Substr("name", 1, 1)).exclude(initial__in=latin)
    elif letter is not None:
        tags = tags.alias(initial=Substr("name", 1, 1)).filter(initial__in=initials[letter][1])
    return tags.annotate(article_count=Count("tagged_articles")).order_by(
        *(OTHER_ORDER if letter == OTHER else NAME_ORDER)
    )


# Within a letter, by the name after its first character (lower-cased), so "Ángela" files
# between "Angela" and "Antony", not after "Azure"; then by the whole name and id. Under
# "#" the first character differs from name to name, so by the whole name.
NAME_ORDER = [Lower(Substr("name", 2)), Lower("name"), "pk"]
OTHER_ORDER = [Lower("name"), "pk"]


def letter_initials(vocabulary):
    """{letter: (names, [first characters])} for the letters with names, kept under the content version.

    One query groups the names by first character; the letter navigation shows the
    counts, and a letter's page filters on the characters (published_tags()).
    """

    def make():
        initials = (
            vocabulary.model.objects.filter(tagged_articles__content_object__in=Article.objects.published())
            .values(initial=Substr("name", 1, 1))
            .annotate(names=Count("pk", distinct=True))
            .values_list("initial", "names")
            .order_by()
        )
        letters = {}
        for initial, names in initials:
            letter = index_letter(initial)
            count, characters = letters.get(letter, (0, []))
            letters[letter] = (count + names, [*characters, initial])
        return letters

    return versions.remembered(f"holr:index-letters:{vocabulary.key}", make)


def page_starts(vocabulary, letter, initials):
    """Where each of a letter's pages starts: [0, 200, 400…], or earlier when long names fill a page.

    One query reads the letter's names and slugs in index order, kept under the content
    version like the letter counts; every page of the letter then costs one query.
    """

    def make():
        starts, names, size = [0], 0, 0
        size_of = entry_bytes(vocabulary)
        rows = published_tags(vocabulary, letter, initials).values_list("name", "slug")
        for position, (name, slug) in enumerate(rows.iterator(chunk_size=2000)):
            entry = size_of(name, slug)
            if names == NAMES_PER_PAGE or size + entry > NAMES_BYTES:
                starts.append(position)
                names, size = 0, 0
            names, size = names + 1, size + entry
        return starts

    return versions.remembered(f"holr:index-pages:{vocabulary.key}:{letter}", make)


def entry_bytes(vocabulary):
    """A function of (name, slug): an upper bound on the bytes of HTML that name's index entry takes."""
    # The tag's address without a reverse() per name; quote() escapes more than reverse()
    # does, so the bound holds.
    prefix = len(reverse("articles:tag", kwargs={"vocabulary": vocabulary, "slug": "-"})) - 1
    return lambda name, slug: NAME_OVERHEAD + len(escape(name).encode()) + prefix + len(quote(slug))
