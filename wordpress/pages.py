"""WordPress pages → HOLR pages (the `pages` app), kept apart for the lead to wire at merge.

`page_fields()` is the whole mapping and needs no model; `import_page()` saves it when
the `pages` app is installed, and otherwise counts the page as skipped. A nested page
(/about/team/) keeps its leaf slug; its old path answers 301. Reserved first segments
(DESIGN.md "Public URLs") and clashes get a suffix, named in the report.
"""

import re

from django.apps import apps
from django.utils.text import Truncator, slugify

from articles.sanitizer import sanitize_html

from . import body

RESERVED = {
    "admin", "api", "articles", "people", "places", "events", "sections", "authors", "search", "feed",
    "static", "media", "preview", "healthz", "sitemap.xml", "news-sitemap.xml", "robots.txt",
    "favicon.ico", "category", "tag", "author",
}
YEAR = re.compile(r"^\d{4}$")


def is_reserved(slug):
    from django.conf import settings

    admin = getattr(settings, "ADMIN_PATH", "admin/").strip("/")
    return slug in RESERVED or slug == admin or bool(YEAR.match(slug))


def page_fields(item, media, notes, title):
    """The Page's fields for a WordPress page item (slug not yet checked for clashes)."""
    return {
        "title": Truncator(title).chars(200),
        "slug": slugify(item.slug, allow_unicode=True)[:200] or slugify(title, allow_unicode=True)[:200] or f"page-{item.post_id}",
        "body": sanitize_html(body.convert(item.content, media, notes, post_id=item.post_id)),
        "is_published": item.status == "publish" and not item.password,
        "footer_order": item.menu_order,
    }


def free_slug(slug, taken):
    """`slug` unless it is reserved or `taken(slug)`; else `slug-page`, `slug-page-2`…"""
    if not is_reserved(slug) and not taken(slug):
        return slug
    base = f"{slug}-page"
    candidate, n = base, 2
    while is_reserved(candidate) or taken(candidate):
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def import_page(importer, item):
    from .importer import clean_title, old_path

    report = importer.report
    if not apps.is_installed("pages"):
        report.skip("page", "the pages app is not installed")
        return
    if item.status not in ("publish", "draft", "pending", "private", "future"):
        report.skip("page", f"status “{item.status or 'none'}”")
        return
    Page = apps.get_model("pages", "Page")
    notes = body.Notes()
    title = clean_title(item.title) or f"Untitled WordPress page {item.post_id}"
    fields = page_fields(item, importer.media, notes, title)
    report.shortcodes.update(notes.shortcodes)
    page = importer.mapped_object(Page, "page", item.post_id)
    wanted = fields["slug"]
    fields["slug"] = free_slug(wanted, lambda s: Page.objects.filter(slug=s).exclude(pk=getattr(page, "pk", None)).exists())
    if fields["slug"] != wanted:
        report.name(item, f"page slug “{wanted}” is reserved or taken; it is “{fields['slug']}”")
    if page is None:
        page = Page.objects.create(**fields)
        importer.remember("page", item.post_id, page)
        report.count("page", "created")
    else:
        changed = [name for name, value in fields.items() if getattr(page, name) != value]
        for name in changed:
            setattr(page, name, fields[name])
        if changed:
            page.save()
        report.count("page", "updated" if changed else "unchanged")
    if fields["is_published"]:
        for path in (old_path(item.link), f"/?page_id={item.post_id}", f"/?p={item.post_id}"):
            if path != page.get_absolute_url():
                importer.redirect(path, new_path=page.get_absolute_url())
