import json
from dataclasses import asdict
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from triggerpoints.ranking import UnknownRegionError, rank_candidates


class Command(BaseCommand):
    help = (
        "Rank the trigger points whose referral patterns could explain pain in the given "
        "sided region codes, e.g. lat.head.temple.l post.neck.lower.l. Hypotheses to palpate, "
        "not a diagnosis."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("regions", nargs="+", metavar="REGION")
        parser.add_argument("--limit", type=int, default=10)
        parser.add_argument("--json", action="store_true", help="Print JSON instead of a table.")

    def handle(self, *args: Any, regions: list[str], limit: int, **options: Any) -> None:
        if limit < 1:
            raise CommandError("--limit must be at least 1")
        try:
            candidates = rank_candidates(regions, limit=limit)
        except UnknownRegionError as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps([asdict(c) for c in candidates], indent=2))
            return
        if not candidates:
            self.stdout.write("No catalogue pattern refers to these regions.")
            return
        for rank, c in enumerate(candidates, start=1):
            side = {"l": "left", "r": "right"}.get(c.side or "", "either side")
            self.stdout.write(f"{rank:>2}. {c.score:5.2f}  {c.muscle} — {c.trigger_point} ({side})")
            if c.explains_essential:
                self.stdout.write(f"           essential: {', '.join(c.explains_essential)}")
            if c.explains_spillover:
                self.stdout.write(f"           spillover: {', '.join(c.explains_spillover)}")
            if c.unmarked_essential:
                self.stdout.write(f"           not marked: {', '.join(c.unmarked_essential)}")
