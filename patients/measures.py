"""Breathing measures and their thresholds (facts §5), shared by the examination pages, the
progress page and the plan rules.

Thresholds are screening aids, not diagnoses:
- Nijmegen Questionnaire: 16 symptoms, each 0 (never) to 4 (very often), total 0–64; 23 or more
  is the most widely used positive screen for dysfunctional breathing (van Dixhoorn &
  Duivenvoorden, J Psychosom Res 1985;29:199). Raised by asthma, COPD, heart disease and anxiety
  too. The authors declared it free to use (ERJ Open Res 2015).
- BOLT (control pause): under 20 s suggests low CO2 tolerance; practice-based, not validated [U].
- Resting breathing rate: adult normal about 12–20 a minute; persistently above about 16 at rest
  suggests over-breathing [M].
"""

NIJMEGEN_THRESHOLD = 23
BOLT_LOW = 20
RESTING_RATE_HIGH = 16


def nijmegen_positive(score: int | None) -> bool:
    return score is not None and score >= NIJMEGEN_THRESHOLD


def bolt_low(seconds: int | None) -> bool:
    return seconds is not None and seconds < BOLT_LOW


def breathing_rate_high(rate: int | None) -> bool:
    return rate is not None and rate > RESTING_RATE_HIGH


class BreathingThresholds:
    """The thresholds as properties of anything with `nijmegen_score`, `bolt_seconds` and
    `breathing_rate`: the Measures row and the plan rules' plain BreathingSigns alike."""

    nijmegen_score: int | None
    bolt_seconds: int | None
    breathing_rate: int | None

    @property
    def nijmegen_positive(self) -> bool:
        return nijmegen_positive(self.nijmegen_score)

    @property
    def bolt_low(self) -> bool:
        return bolt_low(self.bolt_seconds)

    @property
    def breathing_rate_high(self) -> bool:
        return breathing_rate_high(self.breathing_rate)


NIJMEGEN_ITEMS: tuple[str, ...] = (
    "Chest pain",
    "Feeling tense",
    "Blurred vision",
    "Dizzy spells",
    "Feeling confused",
    "Faster or deeper breathing",
    "Short of breath",
    "Tight feelings in the chest",
    "Bloated feeling in the stomach",
    "Tingling fingers",
    "Unable to breathe deeply",
    "Stiff fingers or arms",
    "Tight feelings round the mouth",
    "Cold hands or feet",
    "Heart racing (palpitations)",
    "Feeling anxious",
)

NIJMEGEN_ANSWERS: tuple[tuple[int, str], ...] = (
    (0, "Never"),
    (1, "Rarely"),
    (2, "Sometimes"),
    (3, "Often"),
    (4, "Very often"),
)
