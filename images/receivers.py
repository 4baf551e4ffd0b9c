"""Files that follow an Image's lifecycle: renditions made on save, removed on delete."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Image
from .renditions import delete_renditions, make_renditions


@receiver(post_save, sender=Image, dispatch_uid="images.make_renditions")
def image_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields is not None and "file" not in update_fields):
        return
    previous = getattr(instance, "_renditions_for", None)
    if previous == instance.file.name:
        return  # unchanged file: its renditions are already there
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
