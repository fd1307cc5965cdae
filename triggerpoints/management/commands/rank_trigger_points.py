import json
from dataclasses import asdict
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from triggerpoints.ranking import UnknownKeyError, rank_candidates


class Command(BaseCommand):
    help = (
        "Rank the muscles whose trigger points could explain pain in the given sided region "
        "codes, e.g. lat.head.temple.l post.neck.lower.l, weighing any --symptom and --factor "
        "given. Hypotheses to palpate, not a diagnosis."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("regions", nargs="+", metavar="REGION")
        parser.add_argument(
            "--symptom", action="append", default=[], help="A symptom key (facts §11); repeat."
        )
        parser.add_argument(
            "--factor", action="append", default=[], help="A perpetuating-factor key; repeat."
        )
        parser.add_argument("--limit", type=int, default=10)
        parser.add_argument("--json", action="store_true", help="Print JSON instead of a table.")

    def handle(self, *args: Any, regions: list[str], limit: int, **options: Any) -> None:
        if limit < 1:
            raise CommandError("--limit must be at least 1")
        try:
            candidates = rank_candidates(
                regions, symptoms=options["symptom"], factors=options["factor"], limit=limit
            )
        except UnknownKeyError as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            rows = [
                {
                    "muscle": c.muscle,
                    "side": c.side,
                    "score": c.score,
                    "trigger_points": [p.label for p in c.points],
                    "explains_essential": c.explains_essential,
                    "explains_spillover": c.explains_spillover,
                    "local": c.local,
                    "unmarked_essential": c.unmarked_essential,
                    "evidence": [asdict(e) for e in c.evidence],
                }
                for c in candidates
            ]
            self.stdout.write(json.dumps(rows, indent=2))
            return
        if not candidates:
            self.stdout.write("No catalogue pattern refers to these regions.")
            return
        for rank, c in enumerate(candidates, start=1):
            points = ", ".join(p.label for p in c.points)
            self.stdout.write(f"{rank:>2}. {c.score:5.2f}  {c.muscle} ({c.side_words}): {points}")
            for item in c.evidence:
                self.stdout.write(f"           +{item.weight:.2f} {item.text}")
            if c.unmarked_essential:
                self.stdout.write(f"           not marked: {', '.join(c.unmarked_essential)}")
