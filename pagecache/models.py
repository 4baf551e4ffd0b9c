from django.db import models


class ContentVersion(models.Model):
    """The site's content version, for per-process caches that cannot hold it themselves.

    One row. Every change to what readers see writes a new `token` in the same transaction,
    so every process reading this row agrees on the version the moment the change commits.
    A shared cache (Redis) holds the same state instead; see versions.py.
    """

    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField()
    # The next scheduled publication after `changed_at`, once a reader has looked it up
    # for this token; `is_schedule_known` is False right after a change.
    next_change_at = models.DateTimeField(null=True, blank=True)
    is_schedule_known = models.BooleanField(default=False)

    def __str__(self):
        return f"{self.token} ({self.changed_at:%Y-%m-%d %H:%M:%S})"
