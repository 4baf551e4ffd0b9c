from django.db import models


class ImportedObject(models.Model):
    """What a WordPress object became here, so that running the import again updates it.

    Keyed on the WordPress site's URL plus the object's WordPress id (a post id, a term
    slug, an author login): two sites' exports never mix, and one site's never duplicates.
    """

    class Kind(models.TextChoices):
        POST = "post", "post"
        PAGE = "page", "page"
        ATTACHMENT = "attachment", "attachment"
        AUTHOR = "author", "author"
        CATEGORY = "category", "category"

    site_url = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    wp_id = models.CharField("WordPress id", max_length=200)
    object_id = models.PositiveBigIntegerField(help_text="The id of the HOLR object it became.")
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site_url", "kind", "wp_id"], name="unique_imported_object")
        ]
        verbose_name = "imported WordPress object"

    def __str__(self):
        return f"{self.site_url} {self.kind} {self.wp_id} → {self.object_id}"
