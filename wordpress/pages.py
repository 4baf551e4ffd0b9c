"""WordPress pages → HOLR pages (the `pages` app).

`page_fields()` is the whole mapping; `import_page()` creates or updates the Page. A nested page
(/about/team/) keeps its leaf slug; its old path answers 301. Reserved first segments
(pages/reserved.py) and clashes get a suffix, named in the report.
"""

from django.utils.text import Truncator, slugify

from pages.models import Page
from pages.reserved import is_reserved
from richtext.sanitizer import sanitize_html

from . import body


def page_fields(item, media, notes, title):
    """The Page's fields for a WordPress page item (slug not yet checked for clashes)."""
    return {
        "title": Truncator(title).chars(200),
        "slug": slugify(item.slug, allow_unicode=True)[:100]
        or slugify(title, allow_unicode=True)[:100]
        or f"page-{item.post_id}",
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
    if item.status not in ("publish", "draft", "pending", "private", "future"):
        report.skip("page", f"status “{item.status or 'none'}”")
        return
    notes = body.Notes()
    title = clean_title(item.title) or f"Untitled WordPress page {item.post_id}"
    fields = page_fields(item, importer.media, notes, title)
    report.shortcodes.update(notes.shortcodes)
    page = importer.mapped_object(Page, "page", item.post_id)
    wanted = fields["slug"]
    fields["slug"] = free_slug(
        wanted, lambda s: Page.objects.filter(slug=s).exclude(pk=getattr(page, "pk", None)).exists()
    )
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
