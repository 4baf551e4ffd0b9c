"""Files that follow an Image's lifecycle: renditions made on save, removed on delete."""

from django.core.files.storage import default_storage
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Image
from .renditions import delete_renditions, make_renditions, make_share_crop, share_name

FOCAL_FIELDS = {"focal_x", "focal_y"}


@receiver(post_save, sender=Image, dispatch_uid="images.make_renditions")
def image_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields is not None and not {"file", *FOCAL_FIELDS} & set(update_fields)):
        return
    previous = getattr(instance, "_renditions_for", None)
    if previous == instance.file.name:
        # Unchanged file: its renditions are there; a moved focal point needs a new share crop.
        if not default_storage.exists(share_name(instance)):
            make_share_crop(instance)
        return
    make_renditions(instance)
    if previous:  # the file was replaced: remove the old one and its renditions
        delete_renditions(previous)
        instance.file.storage.delete(previous)
    instance._renditions_for = instance.file.name


@receiver(post_delete, sender=Image, dispatch_uid="images.delete_files")
def image_deleted(sender, instance, **kwargs):
    if instance.file:
        delete_renditions(instance.file.name)
        instance.file.delete(save=False)
