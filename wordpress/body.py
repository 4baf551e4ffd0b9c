"""WordPress post bodies into HOLR body HTML (issue 11, "Bodies").

WordPress stores two shapes: classic posts (no <p>: blank lines are paragraphs, single
newlines are line breaks, run through `wpautop` on display) and block-editor posts (HTML
between `<!-- wp:… -->` comments). Both become plain HTML plus HOLR's media references:

    <figure data-image="ID" data-size="inline|wide|full"><figcaption>…</figcaption></figure>
    <figure data-gallery="ID,ID,…"></figure>
    <figure data-embed="URL"></figure>

The result still goes through the sanitizer when the article is saved, like any body.
`convert(content, media, notes)` is the entry point; `media` answers which library image
an attachment id or an uploads URL became, `notes` counts what was dropped for the report.
"""

import html
import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

# Shortcodes WordPress core and common plugins register, removed even without attributes
# or a closing tag. Anything else in square brackets ("[sic]", "[1]") is ordinary text.
KNOWN_SHORTCODES = {
    "audio",
    "playlist",
    "video",
    "embed",
    "caption",
    "wp_caption",
    "gallery",
    "contact-form",
    "contact-form-7",
    "gravityform",
    "youtube",
    "vimeo",
    "soundcloud",
    "tweet",
    "instagram",
    "googlemaps",
    "polldaddy",
    "twitter",
    "more",
    "pullquote",
    "blockquote",
    "column",
    "row",
    "button",
    "quote",
    "code",
    "sourcecode",
    "latex",
}
# A provider URL alone on its line becomes an embed, as WordPress's oEmbed does.
PROVIDER_URL = re.compile(
    r"^[ \t]*(https?://(?:www\.|m\.)?(?:youtube\.com/(?:watch|embed|shorts)|youtu\.be/|vimeo\.com/|"
    r"(?:twitter|x)\.com/\w+/status/|soundcloud\.com/|instagram\.com/p/|flickr\.com/photos/|"
    r"open\.spotify\.com/|(?:www\.)?tiktok\.com/|dailymotion\.com/video/|ted\.com/talks/|"
    r"[\w-]+\.bandcamp\.com/)[^\s<>\"']*)[ \t]*$",
    re.MULTILINE | re.IGNORECASE,
)
BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->", re.DOTALL)
SPLIT_COMMENT = re.compile(r"<!--\s*(?:more|nextpage|noteaser)\b.*?-->", re.DOTALL | re.IGNORECASE)
ATTRIBUTE = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'\]>]+))""")
IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
LINKED_IMG = re.compile(r"(?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?", re.IGNORECASE)
FIGURE = re.compile(r"<figure\b([^>]*)>(.*?)</figure>", re.DOTALL | re.IGNORECASE)
FIGCAPTION = re.compile(r"<figcaption\b[^>]*>(.*?)</figcaption>", re.DOTALL | re.IGNORECASE)
WP_IMAGE_CLASS = re.compile(r"\bwp-image-(\d+)\b")
SIZE_SUFFIX = re.compile(r"-\d+x\d+(?=\.\w+$)")
EMBED_URL = re.compile(r"https?://[^\s<>\"']+")
# A body whose HTML was escaped once more on export: no tag, only "&lt;p&gt;"-like text.
ESCAPED_TAG = re.compile(
    r"&lt;/?(?:p|br|strong|em|b|i|a|ul|ol|li|h[1-6]|blockquote|div|span|img)\b", re.IGNORECASE
)

ALL_BLOCKS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|"
    r"area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|"
    r"header|footer|nav|figure|figcaption|details|menu|summary)"
)


@dataclass
class Notes:
    """What a body lost on the way, for the report."""

    shortcodes: Counter = field(default_factory=Counter)
    other_images: list = field(default_factory=list)  # images outside the uploads folder
    missing_images: list = field(default_factory=list)  # uploads images with no library image


def uploads_path(url):
    """The year/month/name part of an uploads URL (`2013/03/photo.jpg`), or "" for other URLs.

    The path after `wp-content/uploads/`, or the whole path on WordPress.com's files host.
    """
    parts = urlsplit(html.unescape(url or "").strip())
    path = unquote(parts.path)
    marker = "/wp-content/uploads/"
    if marker in path:
        return path.split(marker, 1)[1].lstrip("/")
    if parts.hostname and parts.hostname.endswith(".files.wordpress.com"):
        return path.lstrip("/")
    return ""


def original_path(path):
    """The original's path for a resized copy: `photo-300x200.jpg` → `photo.jpg`."""
    return SIZE_SUFFIX.sub("", path)


def attributes(text):
    return {
        m.group(1).lower(): next(g for g in m.groups()[1:] if g is not None) for m in ATTRIBUTE.finditer(text)
    }


def convert(content, media, notes=None, post_id=None):
    """HOLR body HTML (not yet sanitized) for a WordPress post's `content`."""
    notes = notes if notes is not None else Notes()
    text = (content or "").replace("\r\n", "\n").replace("\r", "\n")
    if "<" not in text and ESCAPED_TAG.search(text):
        text = html.unescape(text)
    is_block = BLOCK_COMMENT.search(text) is not None
    text = BLOCK_COMMENT.sub("", text)
    text = SPLIT_COMMENT.sub("", text)
    text = FIGURE.sub(lambda m: _figure(m, media, notes), text)
    text = _shortcodes(text, media, notes, post_id)
    text = PROVIDER_URL.sub(lambda m: _embed(m.group(1)), text)
    text = LINKED_IMG.sub(lambda m: _image(m.group(0), media, notes), text)
    if not is_block:
        text = wpautop(text)
    text = re.sub(
        r"(<figure data-[^>]*>)\s*(<figcaption>.*?</figcaption>)\s*(</figure>)",
        r"\1\2\3",
        text,
        flags=re.DOTALL,
    )
    return re.sub(r"\n{3,}", "\n\n", text).strip()


# Figures -----------------------------------------------------------------------------


def _image_figure(image_id, caption, size="inline"):
    caption_html = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f'\n\n<figure data-image="{image_id}" data-size="{size}">{caption_html}</figure>\n\n'


def _embed(url):
    return f'\n\n<figure data-embed="{html.escape(html.unescape(url.strip()), quote=True)}"></figure>\n\n'


def _size(classes):
    if "alignfull" in classes:
        return "full"
    if "alignwide" in classes:
        return "wide"
    return "inline"


def _find(img_tag, media, notes, attachment_id=None):
    """(library image, caption) for an <img> tag, or None; reports what it cannot use."""
    img = attributes(img_tag)
    src = img.get("src", "")
    match = WP_IMAGE_CLASS.search(img.get("class", ""))
    found = media.by_id(attachment_id or (int(match.group(1)) if match else None))
    path = uploads_path(src)
    if found is None and path:
        found = media.by_path(original_path(path)) or media.by_path(path)
    if found is None:
        (notes.missing_images if path else notes.other_images).append(src)
    return found


def _image(img_markup, media, notes):
    img_tag = IMG.search(img_markup).group(0)
    found = _find(img_tag, media, notes)
    if found is None:
        return ""
    return _image_figure(
        found.image_id, html.escape(found.caption), _size(attributes(img_tag).get("class", ""))
    )


def _figure(match, media, notes):
    """Block-editor figures: an image (with its figcaption) or an embed."""
    figure_attributes, inner = attributes(match.group(1)), match.group(2)
    classes = figure_attributes.get("class", "")
    if "wp-block-embed" in classes:
        url = EMBED_URL.search(html.unescape(inner))
        return _embed(url.group(0)) if url else ""
    img = IMG.search(inner)
    if img is None:
        return match.group(0)
    found = _find(img.group(0), media, notes)
    if found is None:
        return ""
    caption = FIGCAPTION.search(inner)
    caption_html = caption.group(1).strip() if caption else html.escape(found.caption)
    return _image_figure(found.image_id, caption_html, _size(classes))


# Shortcodes --------------------------------------------------------------------------

ENCLOSING = re.compile(r"\[([a-zA-Z][\w-]*)((?:\s[^\]]*)?)\](.*?)\[/\1\]", re.DOTALL)
SELF_CLOSING = re.compile(r"\[([a-zA-Z][\w-]*)((?:\s[^\]]*)?)\]")


def _shortcodes(text, media, notes, post_id):
    def enclosing(match):
        name, attrs, inner = match.group(1).lower(), attributes(match.group(2)), match.group(3)
        if name in ("caption", "wp_caption"):
            return _caption(attrs, inner, media, notes)
        if name == "embed":
            url = EMBED_URL.search(html.unescape(inner))
            return _embed(url.group(0)) if url else ""
        if name == "video":
            return _video(attrs, inner, notes)
        notes.shortcodes[name] += 1
        return _shortcodes(inner, media, notes, post_id)

    def self_closing(match):
        name, raw_attrs = match.group(1).lower(), match.group(2) or ""
        attrs = attributes(raw_attrs)
        if name == "gallery":
            return _gallery(attrs, media, notes, post_id)
        if name == "video":
            return _video(attrs, "", notes)
        if name not in KNOWN_SHORTCODES and not attrs and not raw_attrs.rstrip().endswith("/"):
            return match.group(0)  # "[sic]": text, not a shortcode
        notes.shortcodes[name] += 1
        return ""

    text = ENCLOSING.sub(enclosing, text)
    return SELF_CLOSING.sub(self_closing, text)


def _caption(attrs, inner, media, notes):
    img = IMG.search(inner)
    caption = LINKED_IMG.sub("", inner).strip() or html.escape(attrs.get("caption", ""))
    if img is None:
        return f"<p>{caption}</p>" if caption else ""
    match = re.match(r"attachment_(\d+)$", attrs.get("id", ""))
    found = _find(img.group(0), media, notes, attachment_id=int(match.group(1)) if match else None)
    if found is None:
        return f"\n\n<p>{caption}</p>\n\n" if caption else ""
    return _image_figure(found.image_id, caption, _size(attrs.get("align", "")))


def _gallery(attrs, media, notes, post_id):
    ids = [int(i) for i in re.findall(r"\d+", attrs.get("ids", "") or attrs.get("include", ""))]
    if not ids and post_id is not None:
        ids = media.children(post_id)
    found = []
    for attachment_id in ids:
        image = media.by_id(attachment_id)
        if image is None:
            notes.missing_images.append(f"attachment {attachment_id}")
        else:
            found.append(str(image.image_id))
    return f'\n\n<figure data-gallery="{",".join(found)}"></figure>\n\n' if found else ""


def _video(attrs, inner, notes):
    url = attrs.get("src") or attrs.get("mp4") or attrs.get("webm") or attrs.get("url") or inner.strip()
    if not url or not EMBED_URL.match(url):
        notes.shortcodes["video"] += 1
        return ""
    return _embed(url)


# wpautop -----------------------------------------------------------------------------


def wpautop(text, br=True):
    """Paragraphs and line breaks for classic posts: a port of WordPress's wpautop()."""
    if not text.strip():
        return ""
    pre_blocks = {}

    def keep_pre(match):
        key = f"<pre wp-pre-tag-{len(pre_blocks)}></pre>"
        pre_blocks[key] = match.group(0)
        return key

    text = re.sub(r"<pre\b.*?</pre>", keep_pre, text, flags=re.DOTALL | re.IGNORECASE) + "\n"
    text = re.sub(r"<br\s*/?>\s*<br\s*/?>", "\n\n", text)
    text = re.sub(r"(<" + ALL_BLOCKS + r"[\s/>])", r"\n\n\1", text)
    text = re.sub(r"(</" + ALL_BLOCKS + r">)", r"\1\n\n", text)
    text = re.sub(r"\n\n+", "\n\n", text)
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    text = "".join(f"<p>{p.strip(chr(10))}</p>\n" for p in paragraphs)
    text = re.sub(r"<p>\s*</p>", "", text)
    text = re.sub(r"<p>([^<]+)</(div|address|form)>", r"<p>\1</p></\2>", text)
    text = re.sub(r"<p>\s*(</?" + ALL_BLOCKS + r"[^>]*>)\s*</p>", r"\1", text)
    text = re.sub(r"<p>(<li.+?)</p>", r"\1", text)
    text = re.sub(r"<p><blockquote([^>]*)>", r"<blockquote\1><p>", text, flags=re.IGNORECASE)
    text = text.replace("</blockquote></p>", "</p></blockquote>")
    text = re.sub(r"<p>\s*(</?" + ALL_BLOCKS + r"[^>]*>)", r"\1", text)
    text = re.sub(r"(</?" + ALL_BLOCKS + r"[^>]*>)\s*</p>", r"\1", text)
    if br:
        text = re.sub(r"(?<!<br />)\s*\n", "<br />\n", text)
        text = re.sub(r"(</?" + ALL_BLOCKS + r"[^>]*>)\s*<br />", r"\1", text)
        text = re.sub(r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", r"\1", text)
    text = re.sub(r"\n</p>$", "</p>", text)
    for key, block in pre_blocks.items():
        text = text.replace(key, block)
    return text
