"""The associated-symptom vocabulary (facts §11), loaded from data/symptoms.toml.

Each entry names a symptom key, what the patient reports, an optional caution, and the muscles
(canonical names) whose trigger points are known to produce it, with confidence and sources.
Read with the catalogue's field checks: unknown fields, keys that are not slugs, repeated keys
and unknown muscle names are refused, naming the entry.
"""

from pathlib import Path
from typing import TYPE_CHECKING

from .catalogue_files import DATA_DIR, EntryError, Fields, Refusal, _load_toml
from .models import Muscle, Symptom
from .vocabulary import CANONICAL_MUSCLES

if TYPE_CHECKING:
    from .services import LoadReport

FILE = "symptoms.toml"
FIELDS = {"key", "label", "note", "muscles", "confidence", "sources"}


def read_symptoms(data_dir: Path = DATA_DIR) -> tuple[dict[str, dict], list[Refusal]]:
    """The accepted entries by key, in file order, and the refused ones."""
    accepted: dict[str, dict] = {}
    refused = []
    path = data_dir / FILE
    if not path.exists():
        return accepted, refused
    for index, raw in enumerate(_load_toml(path).get("symptom", []), start=1):
        label = raw.get("key", f"entry {index}") if isinstance(raw, dict) else f"entry {index}"
        try:
            fields = Fields(raw, FIELDS)
            key = fields.key()
            if key in accepted:
                raise EntryError(f"key {key!r} is used twice")
            muscles = fields.texts("muscles")
            unknown = [m for m in muscles if m not in CANONICAL_MUSCLES]
            if unknown:
                raise EntryError(f"unknown muscle name(s): {', '.join(unknown)}")
            accepted[key] = {
                "label": fields.text("label"),
                "note": fields.text("note", required=False),
                "muscles": muscles,
                "confidence": fields.confidence(),
                "sources": "\n".join(fields.sources()),
            }
        except EntryError as error:
            refused.append(Refusal(FILE, f"symptom {label}", str(error)))
    return accepted, refused


def load_symptoms(report: "LoadReport", data_dir: Path = DATA_DIR) -> None:
    """Make the Symptom rows match the file (report counts, as the catalogue loader does)."""
    from .services import _note_untouched, _upsert

    accepted, refused = read_symptoms(data_dir)
    report.refused.extend(refused)
    muscles = dict(Muscle.objects.values_list("name", "pk"))
    existing = {s.key: s for s in Symptom.objects.prefetch_related("muscles")}
    for order, (key, entry) in enumerate(accepted.items()):
        missing = [m for m in entry["muscles"] if m not in muscles]
        if missing:
            report.refused.append(
                Refusal(FILE, f"symptom {key}", f"muscle(s) not in the catalogue: {missing}")
            )
            continue
        values = {k: v for k, v in entry.items() if k != "muscles"} | {"sort_order": order}
        _, status = _upsert(
            existing.get(key),
            Symptom,
            {"key": key},
            values,
            {"muscles": {muscles[m] for m in entry["muscles"]}},
        )
        report.record("symptoms", key, status)
    _note_untouched(report, "symptoms", existing, accepted)
