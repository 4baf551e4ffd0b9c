"""How tag fields read and write text: comma-separated names, never split on spaces.

Wired in through TAGGIT_TAGS_FROM_STRING / TAGGIT_STRING_FROM_TAGS. taggit's default
splits "Vladimir Putin" into two tags when there is no comma; a newsroom types full
names, so only commas separate. A name containing a comma is written in double quotes:
`"Washington, D.C.", Moscow`.
"""


def parse_tags(text):
    """Split on commas outside double quotes; trim; drop blanks and case-insensitive repeats."""
    if not text:
        return []
    names, current, quoted = [], [], False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            names.append("".join(current))
            current = []
        else:
            current.append(char)
    names.append("".join(current))

    seen, unique = set(), []
    for name in (" ".join(name.split()) for name in names):
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            unique.append(name)
    return unique


def format_tags(tags):
    """The inverse of parse_tags, for showing a field's current tags."""
    names = sorted((tag.name for tag in tags), key=str.casefold)
    return ", ".join(f'"{name}"' if "," in name else name for name in names)
