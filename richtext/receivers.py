"""The image-use table follows every article save (admin, importer, objects.create)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import ImageUse
from .rendering import Figure, segments


def uses_in(body):
    """{image id: kind} for the images a body shows (an inline use wins over a gallery one)."""
    uses = {}
    for part in segments(body or ""):
        if isinstance(part, Figure):
            for number in part.image_ids:
                if uses.get(number) != ImageUse.Kind.IMAGE:
                    uses[number] = part.kind
    return uses


def sync_image_uses(article):
    uses = uses_in(article.body)
    current = dict(ImageUse.objects.filter(article=article).values_list("image_id", "kind"))
    if current == uses:
        return
    ImageUse.objects.filter(article=article).exclude(image_id__in=list(uses)).delete()
    for image_id, kind in uses.items():
        if current.get(image_id) != kind:
            ImageUse.objects.update_or_create(article=article, image_id=image_id, defaults={"kind": kind})


@receiver(post_save, sender="articles.Article", dispatch_uid="richtext.image_uses")
def article_saved(sender, instance, created=False, raw=False, **kwargs):
    if raw or (created and "<fig" not in (instance.body or "")):
        return  # a new article without figures has no uses to record
    sync_image_uses(instance)
