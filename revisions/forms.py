"""No lost edits: an article form opened before someone else's save is refused, text kept."""

from django import forms
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from articles.models import Article

from .diff import compare
from .models import Revision


class StaleEditGuard(forms.ModelForm):
    """Mixed into the article change form: carries the revision it was opened at.

    If the article has a newer revision when the form comes back, the save is refused
    with what changed in between. The form keeps every word the editor typed and now
    carries the newer revision number, so saving again (having looked) goes through,
    and the other editor's version stays in the history.
    """

    based_on_revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict = None
        if self.instance.pk is not None and not self.is_bound:
            latest = Revision.objects.latest_for(self.instance.pk)
            self.initial["based_on_revision"] = latest.number if latest else 0

    def clean(self):
        cleaned_data = super().clean()
        based_on = cleaned_data.get("based_on_revision")
        if self.instance.pk is None or based_on is None:
            # Nothing to compare with (a form without the field is not one we rendered).
            return cleaned_data
        # Saving (the admin's save runs in a transaction): wait for a save in progress
        # (PostgreSQL row lock, held to the end of that transaction). A form checked outside
        # a transaction (the Preview button) writes nothing, so it takes no lock.
        if transaction.get_connection().in_atomic_block:
            Article.objects.select_for_update().filter(pk=self.instance.pk).exists()
        latest = Revision.objects.latest_for(self.instance.pk)
        if latest is None or latest.number == based_on:
            return cleaned_data

        base = Revision.objects.filter(article_id=self.instance.pk, number=based_on).first()
        self.conflict = {"base": base, "latest": latest, "rows": compare(base, latest) if base else None}
        # Saving again after reading the warning is a deliberate choice: let it through.
        self.data = self.data.copy()
        self.data[self.add_prefix("based_on_revision")] = str(latest.number)
        raise forms.ValidationError(
            render_to_string(
                "revisions/conflict.html",
                {**self.conflict, "saved_at": timezone.localtime(latest.created_at)},
            ),
            code="stale",
        )
