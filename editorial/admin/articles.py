import hashlib

from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from taggit.models import Tag

from articles.models import Article, ArticleAuthor, ArticleNote, Author, Event, Person, Place, Section
from articles.pagination import ArticlePaginator
from editorial.workflow import EditorialWorkflowMixin, is_editor
from images.admin import admin_thumbnail
from revisions.admin import ArticleHistoryMixin

from .filters import tag_filter
from .forms import ArticleAdminForm
from .tag_editing import TagEditingMixin, TagSuggestMixin

admin.site.unregister(Tag)  # HOLR's tags live in its three vocabularies


class ArticleAuthorInline(admin.TabularInline):
    model = ArticleAuthor
    autocomplete_fields = ["author"]
    fields = ["author", "position"]
    extra = 1


class ArticleNoteInline(admin.StackedInline):
    """Corrections and updates: editors only (contributors cannot edit published articles)."""

    model = ArticleNote
    fields = ["kind", "noted_at", "text"]
    extra = 0
    classes = ["collapse"]

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and is_editor(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and is_editor(request.user)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and is_editor(request.user)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "text":
            field.widget.attrs["rows"] = 3
        return field


@admin.register(Article)
class ArticleAdmin(EditorialWorkflowMixin, ArticleHistoryMixin, TagSuggestMixin, admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = [
        "title",
        "state",
        "section",
        "byline",
        "tags_summary",
        "published_at",
        "thumbnail",
    ]
    list_filter = [
        "status",
        "section",
        "authors",
        tag_filter("people"),
        tag_filter("places"),
        tag_filter("events"),
    ]
    search_fields = ["title", "dek", "slug"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["section", "lead_image"]
    readonly_fields = ["lead_image_preview", "length", "state"]
    inlines = [ArticleAuthorInline, ArticleNoteInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "dek", "body"]}),
        ("Lead image", {"fields": ["lead_image", "lead_image_preview", "caption"]}),
        (
            "Tags",
            {
                "fields": ["people", "places", "events"],
                "description": "Separate names with commas. Full names stay whole: "
                "“Vladimir Putin” is one person.",
            },
        ),
        ("Publishing", {"fields": ["section", "status", "published_at", "state", "length"]}),
    ]
    list_per_page = 50
    # At 100,000 articles, counting them all on every load is most of the page's time:
    # no "N total" next to a filtered count, and the count itself is cached.
    show_full_result_count = False

    class Media:
        js = ["js/admin-editor-label.js"]

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        params = request.GET.copy()
        params.pop("p", None)  # every page of one list shares its count
        listing = f"{request.user.pk}?{params.urlencode()}"
        return ArticlePaginator(
            queryset,
            per_page,
            orphans,
            allow_empty_first_page,
            count_key=f"admin-articles:{hashlib.sha256(listing.encode()).hexdigest()}",
            page_rows=self.get_queryset(request),
        )

    def get_queryset(self, request):
        return super().get_queryset(request).for_listing().with_tags()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in {"title", "caption", "people", "places", "events"}:
            field.widget.attrs["class"] = "vLargeTextField"
        if db_field.name in {"people", "places", "events"}:
            field.widget.attrs["autocomplete"] = "off"
        if db_field.name == "dek":
            field.widget.attrs["rows"] = 3
        return field

    @admin.display(description="Authors")
    def byline(self, article):
        return ", ".join(author.name for author in article.authors.all()) or "—"

    @admin.display(description="Tags")
    def tags_summary(self, article):
        names = [
            tag.name
            for vocabulary in (article.people, article.places, article.events)
            for tag in vocabulary.all()
        ]
        if not names:
            return "—"
        shown = ", ".join(names[:4])
        return f"{shown} +{len(names) - 4}" if len(names) > 4 else shown

    @admin.display(description="Image")
    def thumbnail(self, article):
        return admin_thumbnail(article.lead_image, 64)

    @admin.display(description="Preview")
    def lead_image_preview(self, article):
        image = article.lead_image
        renditions = image.renditions if image else None
        if not renditions:
            return "Choose an image and save to see it here."
        return format_html(
            '<img src="{}" alt="{}" class="admin-preview admin-preview--lead">'
            '<p>Alt text: {} · Credit: {} · <a href="{}">edit image</a></p>',
            renditions.webp[min(1, len(renditions.webp) - 1)].url,
            image.alt,
            image.alt,
            image.credit or "none",
            image.get_admin_url(),
        )

    @admin.display(description="Length")
    def length(self, article):
        if not article.word_count:
            return "Shown after saving."
        return f"{article.word_count} words · {article.reading_minutes} min read"


class VocabularyTagAdmin(TagEditingMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "article_count"]
    search_fields = ["name", "slug", "description"]
    fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("tagged_articles"))

    @admin.display(description="Articles", ordering="article_count")
    def article_count(self, tag):
        # Leads to the article list filtered by this tag (the article list's sidebar
        # offers only the most used tags).
        return format_html(
            '<a href="{}?{}__id__exact={}">{}</a>',
            reverse("admin:articles_article_changelist"),
            tag.vocabulary,
            tag.pk,
            tag.article_count,
        )


for model in (Person, Place, Event):
    admin.site.register(model, VocabularyTagAdmin)


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "user"]
    search_fields = ["name", "bio"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["photo", "user"]
