"""When a diary entry needs help now: pure functions over plain data, tested without the
database.

- Pain of 8 or more out of 10 (`URGENT_PAIN`): the patient sees the clinic's contact and the
  emergency advice at once, and the therapist gets a dashboard prompt. 8 and above is "severe"
  on the NPRS (facts §8: 7–10 severe; 8 leaves a margin over a bad day at 7).
- A note that matches a warning sign of the plan's own "when to stop and call us" list
  (`data/warning_words.toml`: each warning's words count only when the plan carries that sign,
  or always for the stop advice every plan has): the same.
"""

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

URGENT_PAIN = 8
WORDS_FILE = Path(__file__).resolve().parent / "data" / "warning_words.toml"


@dataclass(frozen=True)
class Warning:
    sign: str  # a phrase of the plan's reasons it belongs to; "" = every plan
    label: str
    words: tuple[str, ...]


@cache
def warnings() -> tuple[Warning, ...]:
    with WORDS_FILE.open("rb") as f:
        data = tomllib.load(f)
    found = []
    for entry in data["warning"]:
        words = tuple(w.lower() for w in entry["words"])
        if not entry["label"] or not words or any(not w.strip() for w in words):
            raise ValueError(f"{WORDS_FILE.name}: a warning needs a label and words: {entry}")
        found.append(Warning(entry["sign"].lower(), entry["label"], words))
    return tuple(found)


def plan_warnings(reasons: list[str] | tuple[str, ...]) -> tuple[Warning, ...]:
    """The warnings that apply to a plan with these emergency and see-your-GP reasons."""
    text = " ".join(reasons).lower()
    return tuple(w for w in warnings() if not w.sign or w.sign in text)


def _matches(note: str, word: str) -> bool:
    return re.search(r"(?<![a-z])" + re.escape(word), note) is not None


def matched_warnings(note: str, reasons: list[str] | tuple[str, ...]) -> list[str]:
    """The labels of the plan's warnings that the note's words match ([] for none)."""
    text = " ".join(note.lower().replace("’", "'").split())
    if not text:
        return []
    return [w.label for w in plan_warnings(reasons) if any(_matches(text, x) for x in w.words)]


def help_reasons(pain: int | None, note: str, reasons: list[str] | tuple[str, ...]) -> list[str]:
    """Why this day's entry needs the clinic now, in words for the therapist; [] when it does
    not."""
    found = []
    if pain is not None and pain >= URGENT_PAIN:
        found.append(f"pain {pain}/10 in the diary")
    found += [f"note mentions {label}" for label in matched_warnings(note, reasons)]
    return found
