"""The editorial workflow in the admin: who may do what to an article (README "Roles").

Two roles, made as groups by migration 0002_roles:

- an **editor** holds `articles.publish_article`: edits every article, publishes,
  schedules, unpublishes and deletes;
- anyone else with `change_article` (a **contributor**) edits only their *own drafts*.
  "Own" means the contributor's user is linked to one of the article's authors; a
  contributor who adds an article joins its byline. Once submitted for review the
  article is read-only to them until an editor sends it back to draft.

Every rule is checked on the server (permission methods, form choices, the actions),
never only by hiding a button.
"""

from datetime import datetime, time, timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext

from articles.models import ArticleAuthor, Author, PreviewLink, Status
from articles.slugs import unique_slug

from .previews import preview_response, unsaved_article

SHARE_LINK_DAYS = 7  # a share link's default lifetime
SHARE_LINK_MAX_DAYS = 365


def is_editor(user):
    """Editors publish, schedule and edit everything: the one publish-permission check."""
    return user.has_perm("articles.publish_article")


def is_own(user, article):
    """The user is linked to one of the article's authors (reads prefetched authors)."""
    return article.pk is not None and any(author.user_id == user.pk for author in article.authors.all())


def may_edit(user, article):
    return is_editor(user) or (article.status == Status.DRAFT and is_own(user, article))


def article_count(count):
    return ngettext("%(count)d article", "%(count)d articles", count) % {"count": count}


class ShareLinkForm(forms.Form):
    prefix = "share"  # its ids must not meet the article form's on the same page

    note = forms.CharField(
        max_length=200, required=False, label="For", help_text="Who the link is for (only editors see this)."
    )
    expires_on = forms.DateField(
        label="Works until",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="The link stops working at the end of this day.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["expires_on"].initial = today + timedelta(days=SHARE_LINK_DAYS)
        self.fields["expires_on"].widget.attrs.update(
            min=today.isoformat(), max=(today + timedelta(days=SHARE_LINK_MAX_DAYS)).isoformat()
        )

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        today = timezone.localdate()
        if day < today:
            raise forms.ValidationError("Choose today or a later day.")
        if day > today + timedelta(days=SHARE_LINK_MAX_DAYS):
            raise forms.ValidationError(f"A share link can last at most {SHARE_LINK_MAX_DAYS} days.")
        return day

    def expires_at(self):
        """The end of the chosen day, in the site's time zone."""
        end = datetime.combine(self.cleaned_data["expires_on"], time.max)
        return timezone.make_aware(end).replace(microsecond=0)


class WrittenByMeFilter(admin.SimpleListFilter):
    """The articles whose byline includes the signed-in user: a contributor's own work."""

    title = "whose article"  # the admin shows "By whose article"
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("1", "Mine (in my byline)")]

    def queryset(self, request, queryset):
        # One author per user and one link per author and article: no duplicate rows.
        return queryset.filter(authors__user=request.user) if self.value() == "1" else queryset


class EditorialWorkflowMixin:
    """ArticleAdmin's roles, publishing actions, form preview and share links."""

    actions = ["publish_now", "unpublish", "submit_for_review"]

    # Permissions ----------------------------------------------------------------------

    def has_publish_permission(self, request):
        return is_editor(request.user)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or may_edit(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and is_editor(request.user)

    def get_list_filter(self, request):
        return [WrittenByMeFilter, *super().get_list_filter(request)]

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "status" and not self.has_publish_permission(request):
            kwargs["choices"] = [
                (value, label) for value, label in Status.choices if value != Status.PUBLISHED
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.has_publish_permission(request):
            return fieldsets
        # Only editors schedule: the publication time is not in a contributor's form
        # (the article's state, shown in words, still says when it is scheduled for).
        return [
            (name, {**options, "fields": [field for field in options["fields"] if field != "published_at"]})
            for name, options in fieldsets
        ]

    def save_model(self, request, obj, form, change):
        # The form offers no "published" to a contributor; this guards every other path.
        if obj.status == Status.PUBLISHED and not self.has_publish_permission(request):
            raise PermissionDenied("Only editors publish articles.")
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not self.has_publish_permission(request):
            self.keep_in_byline(request.user, form.instance)

    def keep_in_byline(self, user, article):
        """A contributor stays an author of what they write: that is what makes it theirs."""
        author = Author.objects.filter(user=user).first()
        if author is None:
            name = user.get_full_name() or user.get_username()
            author = Author.objects.create(name=name, slug=self.unique_author_slug(name), user=user)
        if not article.author_links.filter(author=author).exists():
            position = max((link.position for link in article.author_links.all()), default=-1) + 1
            ArticleAuthor.objects.create(article=article, author=author, position=position)

    @staticmethod
    def unique_author_slug(name):
        return unique_slug(
            name, lambda slug: Author.objects.filter(slug=slug).exists(), max_length=140, fallback="author"
        )

    # Bulk actions -------------------------------------------------------------------------

    def apply_to_each(self, request, queryset, report, change):
        """Run `change(article)` on each article; it returns a reason to refuse, or None after changing it.

        `report` says what was done, with {} for the number of articles: "Published {}."
        """
        changed, refused = 0, []
        for article in queryset:
            reason = change(article)
            if reason:
                refused.append(f"“{article}” {reason}")
                continue
            article.save()
            self.log_change(request, article, f"{report.format('the article')[:-1]} (bulk action).")
            changed += 1
        self.message_user(request, report.format(article_count(changed)), messages.SUCCESS)
        if refused:
            self.message_user(
                request, f"Refused {article_count(len(refused))}: {'; '.join(refused)}.", messages.WARNING
            )

    @admin.action(description="Publish selected articles now", permissions=["publish"])
    def publish_now(self, request, queryset):
        now = timezone.now()

        def publish(article):
            if article.is_published():
                return "is already published"
            article.status, article.published_at = Status.PUBLISHED, now

        self.apply_to_each(request, queryset, "Published {}.", publish)

    @admin.action(description="Unpublish selected articles (back to draft)", permissions=["publish"])
    def unpublish(self, request, queryset):
        def unpublish(article):
            if article.status == Status.DRAFT:
                return "is already a draft"
            article.status, article.published_at = Status.DRAFT, None

        self.apply_to_each(request, queryset, "Moved {} back to draft.", unpublish)

    @admin.action(description="Submit selected drafts for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        def submit(article):
            if article.status != Status.DRAFT:
                return f"is not a draft ({article.state})"
            if not may_edit(request.user, article):
                return "is not yours"
            article.status = Status.REVIEW

        self.apply_to_each(request, queryset, "Submitted {} for review.", submit)

    # Preview and share links ------------------------------------------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view
        return [
            path("preview/", view(self.preview_view), name="%s_%s_preview_add" % info),
            path("<path:object_id>/preview/", view(self.preview_view), name="%s_%s_preview" % info),
            path(
                "<path:object_id>/share-links/",
                view(self.share_link_create_view),
                name="%s_%s_share_link_add" % info,
            ),
            path(
                "<path:object_id>/share-links/<int:link_id>/revoke/",
                view(self.share_link_revoke_view),
                name="%s_%s_share_link_revoke" % info,
            ),
            *super().get_urls(),
        ]

    def editable_object(self, request, object_id):
        """The article behind object_id when this user may change it; 404 or 403 otherwise."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("No such article.")
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        return obj

    @staticmethod
    def change_page(obj, anchor=""):
        return HttpResponseRedirect(obj.get_admin_url() + anchor)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if add or (obj is not None and self.has_change_permission(request, obj)):
            context["preview_url"] = (
                reverse("admin:articles_article_preview_add")
                if add
                else reverse("admin:articles_article_preview", args=[obj.pk])
            )
        if obj is not None and request.user.has_perm("articles.view_previewlink"):
            context["share_links"] = list(obj.preview_links.select_related("created_by"))
            context["may_revoke_share_links"] = request.user.has_perm("articles.change_previewlink")
            if request.user.has_perm("articles.add_previewlink"):
                share_form = ShareLinkForm()
                # After a refused attempt the query string brings back what was typed.
                share_form.initial = {
                    key: request.GET[share_form.add_prefix(key)]
                    for key in share_form.fields
                    if share_form.add_prefix(key) in request.GET
                }
                context["share_link_form"] = share_form
        return super().render_change_form(request, context, add, change, form_url, obj)

    def preview_view(self, request, object_id=None):
        """The public article page for the form as it is now, unsaved: nothing is written."""
        if request.method != "POST":
            return HttpResponseRedirect(
                reverse("admin:articles_article_change", args=[object_id])
                if object_id
                else reverse("admin:articles_article_add")
            )
        if object_id is None:
            if not self.has_add_permission(request):
                raise PermissionDenied
            obj = None
        else:
            obj = self.editable_object(request, object_id)
        fields = flatten_fieldsets(self.get_fieldsets(request, obj))
        ArticleForm = self.get_form(request, obj, change=obj is not None, fields=fields)
        form = ArticleForm(request.POST, request.FILES, instance=obj)
        form_valid = form.is_valid()
        formsets, _ = self._create_formsets(request, form.instance, change=obj is not None)
        if not (form_valid and all(formset.is_valid() for formset in formsets)):
            errors = [
                (form.fields[name].label if name in form.fields else "", error)
                for name, field_errors in form.errors.items()
                for error in field_errors
            ] + [("Authors", error) for formset in formsets for error in formset.non_form_errors()]
            errors += [
                ("Authors", error)
                for formset in formsets
                for form_errors in formset.errors
                for field_errors in form_errors.values()
                for error in field_errors
            ]
            return TemplateResponse(
                request,
                "admin/articles/article/preview_errors.html",
                {**self.admin_site.each_context(request), "title": "Preview not possible", "errors": errors},
                status=400,
            )
        authors = [
            item["author"]
            for formset in formsets
            for item in sorted(
                (data for data in formset.cleaned_data if data and not data.get("DELETE")),
                key=lambda data: data.get("position") or 0,
            )
        ]
        if not self.has_publish_permission(request) and obj is None:
            authors += [
                author for author in Author.objects.filter(user=request.user) if author not in authors
            ]
        article = unsaved_article(form.instance, form.cleaned_data, authors)
        return preview_response(
            request,
            article,
            gettext("Preview of unsaved changes (%(state)s): nothing has been saved.")
            % {"state": article.state},
        )

    def share_link_create_view(self, request, object_id):
        if request.method != "POST":
            raise Http404("Make share links with the form on the article's page.")
        if not request.user.has_perm("articles.add_previewlink"):
            raise PermissionDenied
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("No such article.")
        form = ShareLinkForm(request.POST)
        if not form.is_valid():
            problems = " ".join(error for errors in form.errors.values() for error in errors)
            self.message_user(request, f"No share link was made: {problems}", messages.ERROR)
            # Back to the article with what was typed still in the share form.
            kept = urlencode({form.add_prefix(key): form[key].data or "" for key in form.fields})
            return self.change_page(obj, f"?{kept}#share-links")
        link = PreviewLink.objects.create(
            article=obj, note=form.cleaned_data["note"], created_by=request.user, expires_at=form.expires_at()
        )
        self.log_change(request, obj, f"Made a share link ({link.note or 'no note'}).")
        self.message_user(
            request,
            f"Share link made; it works until {timezone.localtime(link.expires_at):%-d %b %Y, %H:%M}. "
            "Copy it from the Share links list.",
            messages.SUCCESS,
        )
        return self.change_page(obj, "#share-links")

    def share_link_revoke_view(self, request, object_id, link_id):
        if request.method != "POST":
            raise Http404("Revoke with the button on the article's page.")
        if not request.user.has_perm("articles.change_previewlink"):
            raise PermissionDenied
        obj = self.get_object(request, unquote(object_id))
        link = obj and obj.preview_links.filter(pk=link_id).first()
        if link is None:
            raise Http404("No such share link.")
        if link.revoked_at is None:
            link.revoked_at = timezone.now()
            link.save(update_fields=["revoked_at"])
            self.log_change(request, obj, f"Revoked a share link ({link.note or 'no note'}).")
        self.message_user(request, "Share link revoked: it no longer opens the article.", messages.SUCCESS)
        return self.change_page(obj, "#share-links")
