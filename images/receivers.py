"""Files that follow an Image's lifecycle: renditions made on save, removed on delete.

Files are never left without a row, nor a row without its files: a failed rendition
removes what was written, a rolled-back save removes the new files (cleanup.py), and
replaced or deleted files go only once the change is committed.
"""

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from .cleanup import discard, written_in_transaction
from .models import Image
from .renditions import CROPS, crop_name, make_crops, make_renditions

FOCAL_FIELDS = {"focal_x", "focal_y"}


@receiver(pre_save, sender=Image, dispatch_uid="images.note_upload")
def image_saving(sender, instance, raw=False, **kwargs):
    # After the save the file always looks stored; remember whether this save stores it.
    instance._is_uploading = bool(instance.file) and not instance.file._committed


@receiver(post_save, sender=Image, dispatch_uid="images.make_renditions")
def image_saved(sender, instance, raw=False, update_fields=None, using=None, **kwargs):
    if raw or (update_fields is not None and not {"file", *FOCAL_FIELDS} & set(update_fields)):
        return
    previous = getattr(instance, "_renditions_for", None)
    name = instance.file.name
    if previous == name:
        # Unchanged file: its renditions are there; a moved focal point needs new crops.
        if not all(default_storage.exists(crop_name(instance, kind)) for kind in CROPS):
            make_crops(instance)
        return
    if instance._is_uploading:
        written_in_transaction(name, using=using)
    try:
        make_renditions(instance)
    except Exception:
        # The renditions made before the failure, and the upload itself: the save fails.
        if instance._is_uploading:
            discard(name)
        raise
    if previous:  # the file was replaced: the old one goes once the new one is committed
        transaction.on_commit(lambda: discard(previous), using=using)
    instance._renditions_for = name


@receiver(post_delete, sender=Image, dispatch_uid="images.delete_files")
def image_deleted(sender, instance, using=None, **kwargs):
    if instance.file:
        name = instance.file.name
        transaction.on_commit(lambda: discard(name), using=using)
