from django.db import models


class ContentVersion(models.Model):
    """The site's content version, for per-process caches that cannot hold it themselves.

    One row. Every change to what readers see moves `number` on by one in the same
    transaction, so every process reading this row agrees on the version the moment the
    change commits. A shared cache (Redis) holds the same state instead; see versions.py.
    """

    number = models.BigIntegerField()
    changed_at = models.DateTimeField()
    # The next scheduled publication after `changed_at`, once a reader has looked it up
    # for this number; `is_schedule_known` is False right after a change.
    next_change_at = models.DateTimeField(null=True, blank=True)
    is_schedule_known = models.BooleanField(default=False)

    def __str__(self):
        return f"{self.number} ({self.changed_at:%Y-%m-%d %H:%M:%S})"


class ContentChange(models.Model):
    """One step of the content version: what it retired, for pages stored before it."""

    number = models.BigIntegerField(primary_key=True)
    changed_at = models.DateTimeField()
    # Space-separated dependency keys ("article:12 articles:edited"), unless everything.
    keys = models.TextField(blank=True)
    retired_everything = models.BooleanField(default=False)

    def __str__(self):
        return f"{self.number}: {'everything' if self.retired_everything else self.keys}"
