from django import forms

from articles.models import Article
from articles.vocabularies import VOCABULARIES


class ArticleAdminForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = "__all__"

    def clean(self):
        cleaned_data = super().clean()
        # A tag name longer than its column would fail in the database (PostgreSQL
        # refuses it) after the form had said yes: say so here, with the text kept.
        for key, vocabulary in VOCABULARIES.items():
            limit = vocabulary.model._meta.get_field("name").max_length
            for name in cleaned_data.get(key) or ():
                if len(name) > limit:
                    self.add_error(
                        key,
                        f"“{name[:40]}…” is {len(name)} characters long; "
                        f"a {vocabulary.singular}'s name may have at most {limit}.",
                    )
        return cleaned_data
