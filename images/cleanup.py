"""Image files follow the database transaction that wrote them.

Storage is not transactional. An image's original and its renditions are written while
its row is saved (receivers.py); if that transaction then rolls back (a database error
later in the same admin save), the files would stay behind with nothing pointing at
them. Files written inside a transaction are recorded here and forgotten when it
commits; whatever is still recorded when the request ends (FilesFollowTransactionsMiddleware)
or a `files_follow_transactions()` block ends was rolled back, and is deleted.
"""

import logging
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.files.storage import default_storage
from django.db import transaction

from .renditions import delete_renditions

logger = logging.getLogger("holr.images")

_uncommitted = ContextVar("images_uncommitted_files", default=None)


def discard(name):
    """Delete a stored original and its renditions."""
    delete_renditions(name)
    default_storage.delete(name)


def written_in_transaction(name, using=None):
    """Record that the original `name` (and its renditions) belong to the current transaction."""
    uncommitted = _uncommitted.get()
    if uncommitted is None or not transaction.get_connection(using).in_atomic_block:
        return  # autocommit: the row is already durable, and so are its files
    uncommitted.add(name)
    transaction.on_commit(lambda: uncommitted.discard(name), using=using)


@contextmanager
def files_follow_transactions(using=None):
    uncommitted = set()
    token = _uncommitted.set(uncommitted)
    try:
        yield
    finally:
        _uncommitted.reset(token)
        # Still inside a transaction (the caller's, or a test's): its outcome is not
        # known yet, so the files stay.
        if not transaction.get_connection(using).in_atomic_block:
            for name in uncommitted:
                logger.warning(
                    "Removing %s and its renditions: the transaction that stored it rolled back.", name
                )
                discard(name)


class FilesFollowTransactionsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with files_follow_transactions():
            return self.get_response(request)
