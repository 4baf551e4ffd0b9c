from django.db import models


class ImageUse(models.Model):
    """A library image shown inside an article's body: kept in step with the body on save.

    It answers "where used" and, by protecting the image, refuses to delete an image a
    story shows (the refusal names the story).
    """

    class Kind(models.TextChoices):
        IMAGE = "image", "inline image"
        GALLERY = "gallery", "gallery"

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="image_uses")
    image = models.ForeignKey("images.Image", on_delete=models.PROTECT, related_name="body_uses")
    kind = models.CharField(max_length=10, choices=Kind.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "image"], name="unique_article_image_use")]
        indexes = [models.Index(fields=["image", "article"], name="image_use_image_idx")]
        verbose_name = "image in a story"
        verbose_name_plural = "images in stories"

    def __str__(self):
        return f"“{self.article.title}” ({self.get_kind_display()})"
