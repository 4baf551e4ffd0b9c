"""Old addresses in the admin: what answers 301 or 410, for editors to look up or remove.

Rows are written by articles.redirects as articles and tags change; nobody types them.
Deleting a row makes that address a plain 404. Old paths (PathRedirect) come from an
import such as import_wordpress; editors may also add, correct or remove them.
"""

from django.contrib import admin

from articles.models import ArticleRedirect, DeletedArticle, PathRedirect, TagRedirect


class OldAddressAdmin(admin.ModelAdmin):
    list_per_page = 100

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ArticleRedirect)
class ArticleRedirectAdmin(OldAddressAdmin):
    list_display = ["old_slug", "article", "created_at"]
    search_fields = ["old_slug", "article__slug", "article__title"]
    list_select_related = ["article"]


@admin.register(DeletedArticle)
class DeletedArticleAdmin(OldAddressAdmin):
    list_display = ["slug", "title", "deleted_at"]
    search_fields = ["slug", "title"]


@admin.register(TagRedirect)
class TagRedirectAdmin(OldAddressAdmin):
    list_display = ["old_name", "old_slug", "vocabulary", "new_slug", "created_at"]
    list_filter = ["vocabulary"]
    search_fields = ["old_name", "old_slug", "new_slug"]


@admin.register(PathRedirect)
class PathRedirectAdmin(admin.ModelAdmin):
    list_display = ["old_path", "article", "new_path", "created_at"]
    search_fields = ["old_path", "new_path", "article__slug", "article__title"]
    list_select_related = ["article"]
    raw_id_fields = ["article"]
    list_per_page = 100
