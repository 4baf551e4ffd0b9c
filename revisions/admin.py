"""The article admin's history: revisions on every save, no lost edits, compare and restore.

ArticleHistoryMixin is mixed into editorial.admin.articles.ArticleAdmin. It replaces the admin's
"History" page with the article's revisions, adds compare and restore pages under it,
and guards the change form against overwriting a save made after it was opened.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse

from .diff import compare
from .forms import StaleEditGuard
from .models import Revision
from .recording import acting_as, record_revision, restore_revision


class CompareForm(forms.Form):
    a = forms.IntegerField(min_value=1)
    b = forms.IntegerField(min_value=1)


class ArticleHistoryMixin:
    """Revisions, stale-edit guard, editors-only delete. Mix in before admin.ModelAdmin."""

    @property
    def media(self):
        return super().media + forms.Media(css={"all": ["css/admin-history.css"]})

    # Saving -----------------------------------------------------------------------

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not self.has_change_permission(request, obj):
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], "based_on_revision"]}), *rest]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:
            kwargs.setdefault("form", type(self.form.__name__, (StaleEditGuard, self.form), {}))
        return super().get_form(request, obj, change, **kwargs)

    def save_model(self, request, obj, form, change):
        # The revision is taken in save_related, once the tags are saved too.
        obj._revision_after_related = True
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance._revision_after_related = False
        record_revision(form.instance, user=request.user, comment="Added" if not change else "")

    def changeform_view(self, request, *args, **kwargs):
        with acting_as(request.user):
            return super().changeform_view(request, *args, **kwargs)

    def changelist_view(self, request, *args, **kwargs):
        with acting_as(request.user):  # bulk actions save articles too
            return super().changelist_view(request, *args, **kwargs)

    # History, compare, restore -----------------------------------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name="%s_%s_history_compare" % info,
            ),
            path(
                "<path:object_id>/history/<int:number>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name="%s_%s_history_restore" % info,
            ),
            *super().get_urls(),
        ]

    def _article_or_404(self, request, object_id):
        article = self.get_object(request, object_id)
        if article is None:
            raise Http404("No such article.")
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        return article

    def _context(self, request, article, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "subtitle": None,
            "article": article,
            "object": article,
            "has_change_permission": self.has_change_permission(request, article),
            **extra,
        }

    def history_view(self, request, object_id, extra_context=None):
        article = self._article_or_404(request, object_id)
        revisions = list(article.revisions.select_related("user").order_by("-number"))
        context = self._context(
            request, article, f"History: {article}", revisions=revisions, **(extra_context or {})
        )
        return TemplateResponse(request, "revisions/history.html", context)

    def compare_view(self, request, object_id):
        article = self._article_or_404(request, object_id)
        form = CompareForm(request.GET)
        if not form.is_valid():
            messages.error(request, "Pick two revisions to compare.")
            return HttpResponseRedirect(reverse("admin:articles_article_history", args=[article.pk]))
        numbers = sorted({form.cleaned_data["a"], form.cleaned_data["b"]})
        found = {revision.number: revision for revision in article.revisions.filter(number__in=numbers)}
        if len(found) != len(numbers):
            raise Http404("No such revision.")
        old, new = found[numbers[0]], found[numbers[-1]]
        context = self._context(
            request,
            article,
            f"Compare revisions {old.number} and {new.number}: {article}",
            old=old,
            new=new,
            rows=compare(old, new),
        )
        return TemplateResponse(request, "revisions/compare.html", context)

    def restore_view(self, request, object_id, number):
        article = self._article_or_404(request, object_id)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        revision = get_object_or_404(Revision, article=article, number=number)
        if request.method == "POST":
            new_revision, notes = restore_revision(revision, request.user)
            self.log_change(request, article, f"Restored revision {revision.number}.")
            messages.success(
                request, f"Restored revision {revision.number} as revision {new_revision.number}."
            )
            for note in notes:
                messages.warning(request, note)
            return HttpResponseRedirect(article.get_admin_url())
        current = Revision.objects.latest_for(article.pk)
        context = self._context(
            request,
            article,
            f"Restore revision {revision.number}: {article}",
            revision=revision,
            current=current,
            rows=compare(current, revision) if current else None,
        )
        return TemplateResponse(request, "revisions/restore.html", context)
