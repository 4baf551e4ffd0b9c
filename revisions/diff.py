"""Side-by-side differences between two revisions: title, dek, body text, tags, corrections and updates."""

import difflib
import re
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles.vocabularies import VOCABULARIES
from richtext.describe import changes


@dataclass(frozen=True)
class FieldDiff:
    label: str
    old: str  # safe HTML: the old text with removed words in <del>
    new: str  # safe HTML: the new text with added words in <ins>
    is_changed: bool


def _tokens(text):
    """Words and line breaks: the units a change is marked in."""
    return re.findall(r"\n|[^\s]+", text)


def _render(tokens):
    return " ".join("<br>" if token == "\n" else escape(token) for token in tokens)


def _words_diff(old_text, new_text):
    """Both texts as HTML, words removed from the old marked <del>, words added to the new <ins>."""
    old_words, new_words = _tokens(old_text), _tokens(new_text)
    old_html, new_html = [], []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        old_part, new_part = _render(old_words[a1:a2]), _render(new_words[b1:b2])
        if op == "equal":
            old_html.append(old_part)
            new_html.append(new_part)
            continue
        if a2 > a1:
            old_html.append(f"<del>{old_part}</del>")
        if b2 > b1:
            new_html.append(f"<ins>{new_part}</ins>")
    return mark_safe(" ".join(old_html)), mark_safe(" ".join(new_html))


def _text_diff(label, old_text, new_text):
    old_html, new_html = _words_diff(old_text, new_text)
    return FieldDiff(label, old_html, new_html, old_text != new_text)


def _tags_diff(label, old_names, new_names):
    old_keys = {name.casefold() for name in old_names}
    new_keys = {name.casefold() for name in new_names}

    def render(names, others, tag):
        return mark_safe(
            ", ".join(
                escape(name) if name.casefold() in others else f"<{tag}>{escape(name)}</{tag}>"
                for name in names
            )
            or "—"
        )

    return FieldDiff(
        label,
        render(old_names, new_keys, "del"),
        render(new_names, old_keys, "ins"),
        old_keys != new_keys,
    )


def _notes_text(notes):
    """Corrections and updates one a line, as readers see them: "Correction, 3 December 2026: …"."""
    from articles.models import NoteKind

    lines = []
    for kind, noted_at, text in notes:
        label = NoteKind(kind).label if kind in NoteKind.values else kind
        day = timezone.localtime(datetime.fromisoformat(noted_at))
        lines.append(f"{label}, {day.day} {day:%B %Y}: {' '.join(text.split())}")
    return "\n".join(lines)


def _figures_diff(old_body, new_body):
    """Images, galleries, embeds, pull quotes and tables, and what changed among them in words."""
    old, new, changed = changes(old_body, new_body)

    def render(phrases):
        return ", ".join(escape(phrase) for phrase in phrases) or "—"

    summary = "".join(f"<li>{escape(sentence[0].upper() + sentence[1:])}</li>" for sentence in changed)
    new_html = render(new) + (f'<ul class="revision-diff__changes">{summary}</ul>' if summary else "")
    return FieldDiff("Figures", mark_safe(render(old)), mark_safe(new_html), bool(changed))


def compare(old, new):
    """The rows of a side-by-side comparison of two revisions, in the form's order."""
    rows = [
        _text_diff("Title", old.title, new.title),
        _text_diff("Slug", old.slug, new.slug),
        _text_diff("Dek", old.dek, new.dek),
        _text_diff("Body", old.body_text, new.body_text),
        _figures_diff(old.body, new.body),
    ]
    rows += [
        _tags_diff(vocabulary.label, getattr(old, key), getattr(new, key))
        for key, vocabulary in VOCABULARIES.items()
    ]
    rows.append(_text_diff("Corrections and updates", _notes_text(old.notes), _notes_text(new.notes)))
    return rows
