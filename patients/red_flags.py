"""The red-flag checklist, read once from `data/red_flags.toml` and validated on import."""

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PATH = Path(__file__).resolve().parent / "data" / "red_flags.toml"
URGENCIES = ("emergency", "urgent", "refer", "note")


@dataclass(frozen=True)
class RedFlag:
    key: str
    group: str
    question: str
    urgency: str
    action: str

    @property
    def blocks(self) -> bool:
        """A positive answer hides myofascial explanations until a decision is recorded."""
        return self.urgency != "note"


@cache
def red_flags() -> tuple[RedFlag, ...]:
    with PATH.open("rb") as handle:
        flags = tuple(RedFlag(**entry) for entry in tomllib.load(handle)["flag"])
    keys = [f.key for f in flags]
    if len(set(keys)) != len(keys):
        raise ValueError("red_flags.toml: duplicate key")
    bad = [f.key for f in flags if f.urgency not in URGENCIES]
    if bad:
        raise ValueError(f"red_flags.toml: unknown urgency for {', '.join(bad)}")
    return flags


def flags_by_key() -> dict[str, RedFlag]:
    return {flag.key: flag for flag in red_flags()}
