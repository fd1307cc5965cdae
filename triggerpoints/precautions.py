"""The precaution vocabulary (clinical facts §12): the patient precautions asked at intake and
re-checked at each visit (§12.1), and the site cautions attached to trigger points (§12.2).

Defined here once. The catalogue files name these keys (a technique's or drill's `excluded_by`,
`softened_by`, `clinic_only_with`; a trigger point's `site_cautions`) and the loader refuses any
other; the patient record stores them; `plans.rules` applies them. Wording is ours, paraphrased
from the sources in §12 (Batavia, Phys Ther 2004; Travell & Simons Vol 1 ch. 2–3; NHS and ACOG on
lying flat after ~20 weeks of pregnancy; Buteyko teaching for breath-hold exclusions).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Precaution:
    key: str
    label: str  # what the therapist ticks
    ask: str  # the question at intake
    changes: str  # what it changes, for the clinician (facts §12.1)
    confidence: str


PRECAUTIONS: tuple[Precaution, ...] = (
    Precaution(
        "pregnancy",
        "Pregnant",
        "Pregnant now? How many weeks?",
        "No deep abdominal or deep medial-calf pressure; from about 20 weeks no lying flat on the "
        "back for long (side-lying or seated versions); no breath-holds or air-hunger work.",
        "M",
    ),
    Precaution(
        "anticoagulants",
        "Anticoagulants or a bleeding disorder",
        "Takes warfarin, a DOAC, heparin, or has a bleeding disorder?",
        "Gentle pressure only: no firm compression, no stripping, no ball, roller or cane at "
        "home; watch for bruising.",
        "M",
    ),
    Precaution(
        "osteoporosis",
        "Osteoporosis",
        "Osteoporosis or a fragility fracture?",
        "No firm pressure over the ribs or spine; no loaded end-range spinal flexion.",
        "M",
    ),
    Precaution(
        "recent-surgery-or-fracture",
        "Recent surgery or fracture",
        "Surgery or a fracture in the last 3 months? Where?",
        "No local work on that area until cleared.",
        "M",
    ),
    Precaution(
        "cancer",
        "Cancer",
        "Active cancer or treatment, known bone metastases?",
        "No deep pressure over tumour or metastasis sites; medical clearance first when active.",
        "M",
    ),
    Precaution(
        "lymphoedema",
        "Lymphoedema",
        "Lymphoedema or lymph nodes removed? Which limb?",
        "No deep pressure in that limb or quadrant.",
        "M",
    ),
    Precaution(
        "dvt-history",
        "Blood clot in a leg (ever) or varicose veins",
        "A blood clot in a leg ever, or varicose veins?",
        "No deep pressure on the calf or inner thigh; a swollen hot calf is a red flag.",
        "M",
    ),
    Precaution(
        "reduced-sensation",
        "Reduced sensation",
        "Numbness, for example from diabetic neuropathy?",
        "No self-pressure at home: the patient cannot judge the dose.",
        "M",
    ),
    Precaution(
        "fragile-skin",
        "Fragile skin",
        "Long-term steroids or thin skin?",
        "Gentle contact only; no stripping.",
        "M",
    ),
    Precaution(
        "cardiovascular-disease",
        "Heart disease or uncontrolled high blood pressure",
        "Heart disease, or high blood pressure that is not controlled?",
        "No breath-holds, BOLT or air-hunger drills; no straining (Valsalva) in strength drills.",
        "M",
    ),
    Precaution(
        "panic-or-epilepsy",
        "Panic attacks or epilepsy",
        "Panic attacks or epilepsy?",
        "No breath-holds, BOLT or air-hunger drills.",
        "U",
    ),
    Precaution(
        "hypermobility",
        "Hypermobility",
        "Very flexible joints, or joints that dislocate?",
        "No end-range stretching; favour control and strength drills.",
        "M",
    ),
    Precaution(
        "implanted-device",
        "Implanted device",
        "A pacemaker, pump or stimulator?",
        "No pressure over the device.",
        "M",
    ),
    Precaution(
        "inflammatory-flare",
        "Inflammatory arthritis flare",
        "A flare of inflammatory arthritis now?",
        "No pressure over hot or swollen joints.",
        "M",
    ),
    Precaution(
        "infection-or-fever",
        "Feverish or unwell today",
        "Feverish or unwell today?",
        "No treatment today; see the red-flag screening.",
        "H",
    ),
)
PRECAUTION_KEYS: tuple[str, ...] = tuple(p.key for p in PRECAUTIONS)
PREGNANCY_SUPINE_WEEKS = 20  # from here no prolonged lying flat on the back (supine hypotension)
# Facts §5 and §12.1: no breath-hold test (BOLT) with these; a BOLT result is not used.
NO_BREATH_HOLDS: frozenset[str] = frozenset(
    {"pregnancy", "cardiovascular-disease", "panic-or-epilepsy"}
)


def precautions_by_key() -> dict[str, Precaution]:
    return {p.key: p for p in PRECAUTIONS}


# Where a precaution tied to a part of the body applies. The affected places are named by muscle
# (canonical names) and by site caution, so a trigger point is concerned when its muscle or one
# of its site cautions is listed. These points get gentle pressure in the clinic only.
PRESSURE_PLACES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    # deep abdominal and deep medial-calf pressure
    "pregnancy": (
        frozenset(
            {
                "Rectus abdominis",
                "External oblique",
                "Diaphragm",
                "Iliopsoas",
                "Gastrocnemius",
                "Soleus",
                "Tibialis posterior",
                "Flexor digitorum longus",
            }
        ),
        frozenset({"abdominal-organs"}),
    ),
    # firm pressure over the ribs or spine
    "osteoporosis": (
        frozenset(
            {
                "Iliocostalis thoracis",
                "Iliocostalis lumborum",
                "Longissimus thoracis",
                "Multifidi",
                "Serratus posterior superior",
                "Serratus posterior inferior",
                "Rhomboids",
                "Serratus anterior",
                "Pectoralis major",
                "Sternalis",
                "Diaphragm",
            }
        ),
        frozenset(),
    ),
    # deep pressure on the calf or the inner thigh
    "dvt-history": (
        frozenset(
            {
                "Gastrocnemius",
                "Soleus",
                "Popliteus",
                "Tibialis posterior",
                "Flexor digitorum longus",
                "Flexor hallucis longus",
                "Adductor longus",
                "Adductor magnus",
                "Pectineus",
            }
        ),
        frozenset({"femoral-triangle", "popliteal-fossa"}),
    ),
}

# Body groups (triggerpoints.models.BodyGroup values) an area answer can name, and the limbs a
# lymphoedema answer can name with the body groups of that limb's quadrant.
SURGERY_AREAS: tuple[tuple[str, str], ...] = (
    ("head-jaw", "Head and jaw"),
    ("neck", "Neck"),
    ("shoulder-upper-back", "Shoulder girdle and upper back"),
    ("chest-trunk", "Chest and abdomen"),
    ("upper-limb", "Arm and hand"),
    ("back-pelvic-floor", "Back and pelvic floor"),
    ("hip-buttock", "Hip and buttock"),
    ("thigh", "Thigh"),
    ("leg-foot", "Leg and foot"),
)
LIMBS: tuple[tuple[str, str], ...] = (
    ("arm-l", "Left arm"),
    ("arm-r", "Right arm"),
    ("leg-l", "Left leg"),
    ("leg-r", "Right leg"),
)
LIMB_QUADRANTS: dict[str, frozenset[str]] = {
    "arm": frozenset({"upper-limb", "shoulder-upper-back", "chest-trunk"}),
    "leg": frozenset({"hip-buttock", "thigh", "leg-foot"}),
}


@dataclass(frozen=True)
class SiteCaution:
    key: str
    where: str
    rule: str  # printed on the patient's item
    home_pressure: bool  # may the patient press on a point here at home?


SITE_CAUTIONS: tuple[SiteCaution, ...] = (
    SiteCaution(
        "carotid-artery",
        "front and side of the neck",
        "Near the main neck artery: never press on the pulse, use only a gentle pinch grip on "
        "the muscle, and no ball or tool here.",
        False,
    ),
    SiteCaution(
        "brachial-plexus",
        "root of the neck, under the collarbone, armpit",
        "Near the nerves to the arm: stop at once if tingling or numbness starts; no ball or "
        "tool here.",
        True,
    ),
    SiteCaution(
        "temporal-artery",
        "temple",
        "Near the temple artery: press beside the pulse, never on it.",
        True,
    ),
    SiteCaution(
        "femoral-triangle",
        "front of the hip and groin",
        "Near the large artery and nerve in the groin: pressure here only by your therapist.",
        False,
    ),
    SiteCaution(
        "popliteal-fossa",
        "back of the knee",
        "No deep pressure in the hollow at the back of the knee.",
        True,
    ),
    SiteCaution(
        "fibular-nerve",
        "below the outside of the knee",
        "Near a nerve just below the knee: light pressure only, and stop if tingling starts.",
        True,
    ),
    SiteCaution(
        "sciatic-nerve",
        "deep buttock",
        "Near the sciatic nerve: stop at once if tingling runs down the leg.",
        True,
    ),
    SiteCaution(
        "abdominal-organs",
        "abdomen and flank",
        "Over the abdomen: deep pressure only by your therapist.",
        False,
    ),
    SiteCaution(
        "internal-approach",
        "inside the mouth or pelvis",
        "Treated from inside the mouth or pelvis: only by a therapist with specific training, "
        "with your consent; never at home.",
        False,
    ),
)
SITE_CAUTION_KEYS: tuple[str, ...] = tuple(s.key for s in SITE_CAUTIONS)


def site_cautions_by_key() -> dict[str, SiteCaution]:
    return {s.key: s for s in SITE_CAUTIONS}
