"""The tag admins' editorial tools: merge tags, rename safely, suggest names as editors type.

TagEditingMixin is mixed into editorial.admin.articles.VocabularyTagAdmin (one admin per vocabulary);
TagSuggestMixin into editorial.admin.articles.ArticleAdmin, for its three tag fields.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, IntegerField, Value, When
from django.db.models.functions import Lower
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse_lazy
from taggit.forms import TagWidget

from articles.vocabularies import VOCABULARIES
from editorial.tag_merging import merge_tags
from editorial.workflow import article_count, is_editor

SUGGESTIONS = 10
MAX_QUERY = 100


class TagSuggestWidget(TagWidget):
    """The comma-separated tag field, plus suggestions of existing names as the editor types."""

    class Media:
        js = ["js/tag-autocomplete.js"]
        css = {"all": ["css/tag-autocomplete.css"]}

    def __init__(self, vocabulary, attrs=None):
        model_name = vocabulary.model._meta.model_name
        super().__init__(
            {
                "data-suggest-url": reverse_lazy(f"admin:articles_{model_name}_suggest"),
                "data-suggest-label": vocabulary.label,
                **(attrs or {}),
            }
        )


class TagSuggestMixin:
    """For the article admin: its people, places and events fields suggest existing tags."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in VOCABULARIES:
            kwargs["widget"] = TagSuggestWidget(VOCABULARIES[db_field.name])
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class TagRenameForm(forms.ModelForm):
    """A rename may not collide with another tag's name in any letter case: merge instead."""

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        model = self._meta.model
        clash = model.objects.filter(name__iexact=name).exclude(pk=self.instance.pk).first()
        if clash is not None:
            raise forms.ValidationError(
                f"There is already a {model._meta.verbose_name} called “{clash.name}”. "
                "To fold this one into it, select both in the list and use “Merge selected”."
            )
        return name


class MergeForm(forms.Form):
    keep = forms.ModelChoiceField(
        queryset=None, widget=forms.RadioSelect, empty_label=None, label="Keep this one"
    )

    def __init__(self, *args, tags, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].queryset = tags
        self.fields["keep"].label_from_instance = (
            lambda tag: f"{tag.name} ({article_count(tag.article_count)})"
        )


class TagEditingMixin:
    form = TagRenameForm
    actions = ["merge_selected"]

    @property
    def vocabulary(self):
        return VOCABULARIES[self.model.vocabulary]

    def has_merge_permission(self, request):
        return self.has_change_permission(request) and is_editor(request.user)  # merging is for editors

    # Merging ------------------------------------------------------------------------

    @admin.action(description="Merge selected %(verbose_name_plural)s…", permissions=["merge"])
    def merge_selected(self, request, queryset):
        """Step 1 shows the chosen tags to pick the one to keep; step 2 (POST "apply") merges."""
        tags = queryset.annotate(article_count=Count("tagged_articles")).order_by(Lower("name"))
        if len(tags) < 2:
            self.message_user(request, "Select at least two tags to merge.", messages.WARNING)
            return None
        form = MergeForm(request.POST if "apply" in request.POST else None, tags=tags)
        if form.is_valid():
            keep = form.cleaned_data["keep"]
            others = [tag for tag in tags if tag.pk != keep.pk]
            articles = merge_tags(self.vocabulary, keep, others, user=request.user)
            self.log_change(request, keep, f"Merged {', '.join(tag.name for tag in others)} into it.")
            self.message_user(
                request,
                f"Merged {len(others)} into “{keep.name}”; {article_count(len(articles))} re-tagged. "
                "The old addresses now lead to it.",
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": f"Merge {self.opts.verbose_name_plural}",
            "subtitle": None,
            "opts": self.opts,
            "tags": tags,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        return TemplateResponse(request, "admin/articles/merge_tags.html", context)

    # Suggestions for the article form's tag fields ---------------------------------

    def get_urls(self):
        return [
            path(
                "suggest/",
                self.admin_site.admin_view(self.suggest_view),
                name=f"{self.opts.app_label}_{self.opts.model_name}_suggest",
            ),
            *super().get_urls(),
        ]

    def suggest_view(self, request):
        """Existing names matching ?q= (names that start with it first), as JSON, for staff who edit articles."""
        user = request.user
        if not (
            self.has_view_permission(request)
            or user.has_perm("articles.add_article")
            or user.has_perm("articles.change_article")
        ):
            raise PermissionDenied
        # PostgreSQL refuses NUL in text; no tag name contains one.
        query = " ".join(request.GET.get("q", "").replace("\x00", "").split())[:MAX_QUERY]
        if not query:
            return JsonResponse({"results": []})
        tags = (
            self.model.objects.filter(name__icontains=query)
            .annotate(
                rank=Case(
                    When(name__istartswith=query, then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                )
            )
            .order_by("rank", Lower("name"))
            .values("name", "slug")[:SUGGESTIONS]
        )
        return JsonResponse({"results": list(tags)})
