"""The product's shared vocabulary: canonical muscle names, the plan cues, and the validator
that keeps a catalogue field's list of keys inside its vocabulary (admin and loader alike).

The 87 canonical names of the clinical facts (section 2), then 7 more added for issue 12 (94 in
all). Data files, patient records and plans refer to muscles by these exact strings; the
catalogue loader refuses any other name.
"""

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

from .precautions import PRECAUTION_KEYS, SITE_CAUTION_KEYS

CANONICAL_MUSCLES: tuple[str, ...] = (
    "Temporalis",
    "Masseter",
    "Lateral pterygoid",
    "Medial pterygoid",
    "Digastric",
    "Occipitofrontalis",
    "Sternocleidomastoid",
    "Upper trapezius",
    "Levator scapulae",
    "Scalenes",
    "Splenius capitis",
    "Splenius cervicis",
    "Suboccipitals",
    "Semispinalis capitis",
    "Middle trapezius",
    "Lower trapezius",
    "Rhomboids",
    "Supraspinatus",
    "Infraspinatus",
    "Teres minor",
    "Teres major",
    "Subscapularis",
    "Latissimus dorsi",
    "Deltoid",
    "Coracobrachialis",
    "Serratus posterior superior",
    "Serratus posterior inferior",
    "Pectoralis major",
    "Pectoralis minor",
    "Serratus anterior",
    "Sternalis",
    "Subclavius",
    "Rectus abdominis",
    "External oblique",
    "Diaphragm",
    "Biceps brachii",
    "Brachialis",
    "Triceps brachii",
    "Brachioradialis",
    "Extensor carpi radialis longus",
    "Extensor carpi radialis brevis",
    "Extensor digitorum",
    "Supinator",
    "Flexor carpi radialis",
    "Flexor carpi ulnaris",
    "Flexor digitorum superficialis",
    "Adductor pollicis",
    "Opponens pollicis",
    "First dorsal interosseous",
    "Iliocostalis thoracis",
    "Iliocostalis lumborum",
    "Longissimus thoracis",
    "Multifidi",
    "Quadratus lumborum",
    "Levator ani",
    "Gluteus maximus",
    "Gluteus medius",
    "Gluteus minimus",
    "Piriformis",
    "Tensor fasciae latae",
    "Iliopsoas",
    "Adductor longus",
    "Adductor magnus",
    "Pectineus",
    "Rectus femoris",
    "Vastus medialis",
    "Vastus lateralis",
    "Vastus intermedius",
    "Biceps femoris",
    "Semitendinosus",
    "Semimembranosus",
    "Gastrocnemius",
    "Soleus",
    "Popliteus",
    "Tibialis anterior",
    "Peroneus longus",
    "Peroneus brevis",
    "Peroneus tertius",
    "Extensor digitorum longus",
    "Extensor hallucis longus",
    "Extensor digitorum brevis",
    "Tibialis posterior",
    "Flexor digitorum longus",
    "Flexor hallucis longus",
    "Quadratus plantae",
    "Abductor hallucis",
    "Flexor digitorum brevis",
    # Issue 12: muscles a specialist expects that facts §2 does not list. They extend facts §2;
    # each entry in triggerpoints/data/muscles/ carries its own sources.
    "Intercostals",
    "Pronator teres",
    "Palmaris longus",
    "Abductor digiti minimi",
    "Gracilis",
    "Sartorius",
    "Obturator internus",
)

# --- Plan cues ----------------------------------------------------------------------------------
# The words the catalogue uses to say when a plan draws on an entry (plans.rules reads them).
# triggerpoints does not import patients, so the intake values are spelt out, and a test in
# tests/plans checks they match the patient record's choices.

# Examination results that bring a breathing finding's drills into a plan.
PLAN_CUES: tuple[str, ...] = (
    "pattern:upper-chest",  # breathing pattern observed as upper-chest (apical)
    "pattern:paradoxical",  # breathing pattern observed as paradoxical
    "mouth-breathing",  # breathes through the mouth at rest
    "nijmegen:positive",  # Nijmegen Questionnaire 23 or more
    "bolt:low",  # BOLT under 20 s
    "rate:high",  # resting breathing rate over 16 a minute
    "accessory-trigger-point",  # an active trigger point in one of the finding's muscles
)
# patients.models.Patient.Activity values and Assessment.SelfCare values.
INTAKE_ACTIVITIES: tuple[str, ...] = (
    "desk_work",
    "driving",
    "lifting",
    "manual_work",
    "standing",
    "sport",
    "phone",
    "instrument",
    "childcare",
)
INTAKE_SELF_CARE: tuple[str, ...] = ("poor-sleep", "low-fluids", "diet")
# Intake answers that bring a perpetuating factor's advice into a plan.
INTAKE_CUES: tuple[str, ...] = (
    *(f"activity:{value}" for value in INTAKE_ACTIVITIES),
    "stress:high",  # stress at or above Assessment.HIGH_STRESS
    *(f"self-care:{value}" for value in INTAKE_SELF_CARE),
)

VOCABULARIES: dict[str, tuple[str, ...]] = {
    "precaution": PRECAUTION_KEYS,
    "site caution": SITE_CAUTION_KEYS,
    "plan cue": PLAN_CUES,
    "intake cue": INTAKE_CUES,
}


@deconstructible
class KeyList:
    """A JSON field holding a list of keys from one vocabulary (named, so a migration records the
    name and never a copy of the keys). `what` is how messages call one key."""

    def __init__(self, vocabulary: str, what: str = "") -> None:
        self.vocabulary = vocabulary
        self.what = what or vocabulary

    @property
    def allowed(self) -> tuple[str, ...]:
        return VOCABULARIES[self.vocabulary]

    def unknown(self, values: list[str] | tuple[str, ...]) -> list[str]:
        return [value for value in values if value not in self.allowed]

    def __call__(self, values: object) -> None:
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise ValidationError(f'Write a list of {self.what} keys, e.g. ["{self.allowed[0]}"].')
        if unknown := self.unknown(values):
            raise ValidationError(
                f"Unknown {self.what}(s): {', '.join(unknown)}. "
                f"The known {self.what}s are {', '.join(self.allowed)}."
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, KeyList) and (self.vocabulary, self.what) == (
            other.vocabulary,
            other.what,
        )
