from django import forms
from django.utils.translation import gettext

from articles.models import Article
from articles.vocabularies import VOCABULARIES


class ArticleAdminForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = "__all__"  # noqa: DJ007  (the ModelAdmin's fieldsets choose what the form shows)

    def clean(self):
        cleaned_data = super().clean()
        # A tag name longer than its column would fail in the database (PostgreSQL
        # refuses it) after the form had said yes: say so here, with the text kept.
        for key, vocabulary in VOCABULARIES.items():
            limit = vocabulary.model._meta.get_field("name").max_length
            for name in cleaned_data.get(key) or ():
                if len(name) > limit:
                    message = gettext(
                        "“%(name)s…” is %(length)d characters long; "
                        "a %(kind)s's name may have at most %(limit)d."
                    )
                    values = {"name": name[:40], "length": len(name), "kind": vocabulary.singular}
                    self.add_error(key, message % {**values, "limit": limit})
        return cleaned_data
