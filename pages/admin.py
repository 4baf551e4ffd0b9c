"""Pages in the admin: anyone with the page permissions writes; only editors publish.

"Editor" is the article workflow's (editorial.workflow.is_editor): a holder of
`articles.publish_article`. A contributor edits unpublished pages only, cannot publish,
unpublish or delete, and every one of those rules is checked on the server.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import ngettext

from editorial.workflow import is_editor

from .models import Page


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "is_published", "footer_order", "updated_at"]
    list_filter = ["is_published"]
    search_fields = ["title", "slug", "body"]
    prepopulated_fields = {"slug": ["title"]}
    fields = ["title", "slug", "body", "is_published", "footer_order"]
    actions = ["publish", "unpublish"]

    class Media:
        js = ["js/admin-editor-label.js"]

    def has_publish_permission(self, request):
        return is_editor(request.user)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        # A published page is live: changing it is the editors' call.
        return allowed and (obj is None or not obj.is_published or is_editor(request.user))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and is_editor(request.user)

    def get_readonly_fields(self, request, obj=None):
        return [] if is_editor(request.user) else ["is_published"]

    def save_model(self, request, obj, form, change):
        # The form shows a contributor the flag read-only; this guards every other path.
        if not is_editor(request.user):
            was_published = change and Page.objects.filter(pk=obj.pk, is_published=True).exists()
            if obj.is_published or was_published:
                raise PermissionDenied("Only editors publish or unpublish pages.")
        super().save_model(request, obj, form, change)

    def _set_published(self, request, queryset, is_published, verb):
        changed = 0
        for page in queryset.exclude(is_published=is_published):
            page.is_published = is_published
            page.save(update_fields=["is_published", "updated_at"])
            self.log_change(request, page, f"{verb.capitalize()} (bulk action).")
            changed += 1
        pages = ngettext("%(count)d page", "%(count)d pages", changed) % {"count": changed}
        self.message_user(request, f"{verb.capitalize()} {pages}.", messages.SUCCESS)

    @admin.action(description="Publish selected pages", permissions=["publish"])
    def publish(self, request, queryset):
        self._set_published(request, queryset, True, "published")

    @admin.action(description="Unpublish selected pages", permissions=["publish"])
    def unpublish(self, request, queryset):
        self._set_published(request, queryset, False, "unpublished")
