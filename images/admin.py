from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils.html import format_html, format_html_join

from .forms import LibraryImageField
from .models import Image


def admin_thumbnail(image, width):
    """A small <img> of `image` for admin lists, `width` pixels wide; "" without an image or renditions."""
    renditions = image.renditions if image else None
    if not renditions:
        return ""
    return format_html(
        '<img src="{}" alt="" width="{}" height="{}" class="admin-thumbnail">',
        renditions.thumbnail.url,
        width,
        round(width * image.height / image.width),
    )


class ImageForm(forms.ModelForm):
    class Meta:
        model = Image
        fields = ["file", "alt", "credit", "focal_x", "focal_y"]
        field_classes = {"file": LibraryImageField}
        error_messages = {
            "file": {
                # Django's own wording does not say what *is* accepted.
                "invalid_image": "This file is not a JPEG, PNG, WebP, AVIF or GIF image "
                "(SVG, text and HTML files are refused), or it is damaged. Upload a photo or "
                "illustration in one of those formats.",
            }
        }


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageForm
    list_display = ["thumbnail", "alt", "credit", "dimensions", "use_count", "created_at"]
    list_display_links = ["thumbnail", "alt"]
    search_fields = ["alt", "credit"]
    readonly_fields = ["preview", "share_preview", "dimensions", "where_used"]
    fieldsets = [
        (None, {"fields": ["file", "preview", "alt", "credit"]}),
        (
            "Cropping",
            {
                "fields": ["focal_x", "focal_y", "share_preview"],
                "description": "Click the preview to place the focal point, or type it below. "
                "Crops such as the 1200×630 share card keep this point in frame.",
            },
        ),
        ("Details", {"fields": ["dimensions", "where_used"]}),
    ]
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(use_count=Count("lead_articles", distinct=True) + Count("body_uses", distinct=True))
        )

    @admin.display(description="")
    def thumbnail(self, image):
        return admin_thumbnail(image, 80) or "—"

    class Media:
        # Click-to-place focal point (static/js/focal-point.js); the number fields stay the fallback.
        js = ["js/focal-point.js"]
        css = {"all": ["css/admin-images.css"]}

    @admin.display(description="Preview")
    def preview(self, image):
        renditions = image.renditions
        if not renditions:
            return "Saved images show a preview here."
        rendition = renditions.webp[min(1, len(renditions.webp) - 1)]
        return format_html(
            '<div class="focal-point" data-focal-point title="Click to set the focal point">'
            '<img src="{}" alt="{}" width="{}" height="{}">'
            '<span class="focal-point__marker" aria-hidden="true"></span></div>',
            rendition.url,
            image.alt,
            rendition.width,
            rendition.height,
        )

    @admin.display(description="Share card")
    def share_preview(self, image):
        renditions = image.renditions
        if not renditions:
            return "Saved images show their 1200×630 share crop here."
        return format_html(
            '<img class="share-preview" src="{}" alt="The share crop: {}" width="600" height="315">'
            '<p class="help">What social networks show. Save to crop again around a new focal point.</p>',
            renditions.share.url,
            image.alt,
        )

    @admin.display(description="Size")
    def dimensions(self, image):
        return f"{image.width}×{image.height}" if image.width else "—"

    @admin.display(description="Used by", ordering="use_count")
    def use_count(self, image):
        return image.use_count

    @admin.display(description="Where used")
    def where_used(self, image):
        if not image.pk:
            return "Not used yet."
        uses = [(article, "lead image") for article in image.lead_articles.order_by("-updated_at")[:50]] + [
            (use.article, use.get_kind_display())
            for use in image.body_uses.select_related("article").order_by("-article__updated_at")[:50]
        ]
        if not uses:
            return "Not used in any story yet."
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a> ({}, {})</li>',
                ((article.get_admin_url(), article.title, how, article.state) for article, how in uses),
            ),
        )
