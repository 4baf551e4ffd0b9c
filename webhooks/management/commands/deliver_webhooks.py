import signal
import time

from django.core.management.base import BaseCommand

from webhooks.delivery import deliver_due
from webhooks.models import Status


class Command(BaseCommand):
    help = (
        "Send queued webhooks (and announce scheduled articles that came due). Loops until stopped, "
        "checking every --interval seconds; --once makes one pass, for cron or tests."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Make one pass and exit.")
        parser.add_argument("--interval", type=float, default=5.0, help="Seconds between passes (default 5).")

    def handle(self, *args, once=False, interval=5.0, **options):
        self.stopping = False
        signal.signal(signal.SIGTERM, self.stop)  # systemd stops us with SIGTERM: finish the pass first
        while True:
            for delivery in deliver_due():
                outcome = (
                    "delivered"
                    if delivery.status == Status.DELIVERED
                    else (
                        f"failed ({delivery.last_error})"
                        if delivery.status == Status.FAILED
                        else f"will retry ({delivery.last_error})"
                    )
                )
                self.stdout.write(f"{delivery.event} → {delivery.endpoint.url}: {outcome}")
            if once or self.stopping:
                return
            time.sleep(interval)
            if self.stopping:
                return

    def stop(self, signum, frame):
        self.stopping = True
