"""What a reader typed, made safe: capped, stripped of control characters, split into terms.

Both backends are given the same terms, never the raw text, so quotes, `*`, `NEAR`,
parentheses or NUL bytes cannot reach a query parser as syntax.
"""

import re
import unicodedata
from dataclasses import dataclass

MAX_QUERY_LENGTH = 200  # characters kept of what was typed
MAX_TERMS = 12  # words and quoted phrases searched for

# Private-use characters that mark highlights in snippets; never part of indexed text.
MARK_START, MARK_END = "\ue000", "\ue001"

WORD = r"\w+(?:['’]\w+)*"
TERM = re.compile(rf'"([^"]*)"?|({WORD})')


@dataclass(frozen=True)
class Query:
    text: str  # the cleaned query, as the page shows it back
    terms: tuple  # words and phrases; a phrase is several words separated by spaces
    was_shortened: bool = False

    def __bool__(self):
        return bool(self.terms)


def clean_text(text):
    """Text without control or format characters (NUL included) or highlight marks, spaces collapsed."""
    words = text.split()
    if not all(word.isprintable() for word in words):  # the usual case needs no closer look
        text = "".join(" " if unicodedata.category(char) in UNPRINTABLE else char for char in text)
        words = text.split()
    return " ".join(words)


UNPRINTABLE = {"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"}


def parse(raw):
    """A Query from the ?q= value: at most MAX_QUERY_LENGTH characters and MAX_TERMS terms."""
    text = clean_text(raw or "")
    was_shortened = len(text) > MAX_QUERY_LENGTH
    text = text[:MAX_QUERY_LENGTH].strip()
    terms = []
    for match in TERM.finditer(text):
        phrase, word = match.groups()
        if word:
            terms.append(word)
        elif phrase is not None:
            words = re.findall(WORD, phrase)
            if words:
                terms.append(" ".join(words))
    return Query(text=text, terms=tuple(terms[:MAX_TERMS]), was_shortened=was_shortened)
