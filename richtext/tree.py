"""A minimal element tree for body HTML, enough to check and rewrite figures.

Text stays as it was written (entities are not decoded), so parsing and serialising
markup that nh3 already cleaned gives back the same string.
"""

from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser

VOID = {"br", "hr", "img", "source", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict = field(default_factory=dict)
    children: list = field(default_factory=list)

    def find_all(self, tag):
        for child in self.children:
            if isinstance(child, Element):
                if child.tag == tag:
                    yield child
                yield from child.find_all(tag)

    def first(self, tag):
        return next(
            (child for child in self.children if isinstance(child, Element) and child.tag == tag), None
        )

    def text(self):
        return "".join(child if isinstance(child, str) else child.text() for child in self.children)


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.root = Element("#root")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Element(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(escape(data, quote=False))

    def handle_entityref(self, name):
        self.stack[-1].children.append(f"&{name};")

    def handle_charref(self, name):
        self.stack[-1].children.append(f"&#{name};")


def parse(html):
    """The top-level nodes of `html`: Elements and (escaped) text strings."""
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root.children


def serialize(nodes):
    return "".join(_serialize(node) for node in nodes)


def _serialize(node):
    if isinstance(node, str):
        return node
    attrs = "".join(f' {name}="{escape(value)}"' for name, value in node.attrs.items())
    if node.tag in VOID:
        return f"<{node.tag}{attrs}>"
    return f"<{node.tag}{attrs}>{serialize(node.children)}</{node.tag}>"
