"""Delete failed plan-link tries that no limit reads any more.

The address limit looks back one hour and the link limit over the link's life, so a try is kept
while it is younger than `--days` (90 by default, for looking into abuse) or its link is still
open to guessing (not yet expired). Run it daily from cron or a timer in production.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Q
from django.utils import timezone

from portal.models import LinkAttempt


class Command(BaseCommand):
    help = "Delete failed plan-link tries older than --days whose link has expired."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=90)

    def handle(self, *args: object, days: int, **options: object) -> None:
        now = timezone.now()
        old = LinkAttempt.objects.filter(at__lt=now - timedelta(days=max(days, 1)))
        deleted, _ = old.filter(Q(link__isnull=True) | Q(link__expires_at__lt=now)).delete()
        self.stdout.write(f"Deleted {deleted} failed plan-link tries.")
