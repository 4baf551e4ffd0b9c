"""Signals other parts of HOLR listen to.

`content_changed` is sent when published content changes in a way that model signals do
not report, such as a queryset ``update()`` or a bulk re-tagging. Listeners (the page
cache, the search index) treat it as "anything a reader sees may have changed".
"""

from django.dispatch import Signal

content_changed = Signal()
