"""What an image change retires in the page cache: the pages that show the image (issue 12).

Alt text, credit, focal point and file belong to the library image, and every page that
shows it built it (a lead image, an author's photo) or looked its id up (a figure in a
body: richtext/rendering.py records the key even for an id that is not there), so those
pages recorded `image:<id>` (pagecache/dependencies.py) and nothing else needs to go.
"""

from django.db.models.signals import post_delete, post_save

from pagecache.dependencies import key_for
from pagecache.versions import EVERYTHING

from .models import Image


def change_scope(sender, instance=None, signal=None, raw=False, **kwargs):
    if sender is Image and not raw and signal in (post_save, post_delete):
        return frozenset({key_for(instance)})
    return EVERYTHING
