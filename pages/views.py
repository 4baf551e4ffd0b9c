from django.utils.cache import patch_cache_control
from django.views.generic import DetailView

from pagecache import dependencies
from richtext.rendering import render_body

from .models import Page


class PageView(DetailView):
    """A published page; staff who may view pages also see unpublished ones, as a preview."""

    model = Page
    context_object_name = "page"

    def may_preview(self):
        user = self.request.user
        return user.is_staff and user.has_perm("pages.view_page")

    def get_queryset(self):
        return Page.objects.all() if self.may_preview() else Page.objects.published()

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if not self.object.is_published:
            # A preview: never stored by a browser or a shared cache, never indexed.
            patch_cache_control(response, private=True, no_store=True)
            response["X-Robots-Tag"] = "noindex"
        return response

    def get_context_data(self, **kwargs):
        dependencies.lists_nothing()  # a page shows itself (and its figures), no article listing
        return super().get_context_data(body=render_body(self.object), **kwargs)
