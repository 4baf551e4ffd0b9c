from django.db import models
from django.urls import reverse

from richtext.fields import BodyField
from richtext.sanitizer import sanitize_html

from .reserved import validate_not_reserved


class PageQuerySet(models.QuerySet):
    def published(self):
        """What readers may see."""
        return self.filter(is_published=True)

    def in_footer(self):
        return self.published().order_by("footer_order", "title", "pk")


class Page(models.Model):
    """One of the magazine's own pages (About, Contact…), served at /<slug>/."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=100,
        unique=True,
        allow_unicode=True,
        validators=[validate_not_reserved],
        help_text="The page's address: /this-slug/. The site's own routes (articles, search, feed…) "
        "and four-digit years are taken.",
    )
    body = BodyField(blank=True)
    is_published = models.BooleanField(
        "published",
        default=False,
        help_text="Only editors publish. Unpublished pages are invisible to readers.",
    )
    footer_order = models.PositiveSmallIntegerField(
        default=0, help_text="Order in the site footer; lower comes first."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["footer_order", "title", "pk"]
        indexes = [models.Index(fields=["is_published", "footer_order"], name="page_footer_idx")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # The editor's form sanitizes; this covers Page.objects.create() and scripts too.
        self.body = sanitize_html(self.body)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "body"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("pages:detail", kwargs={"slug": self.slug})
