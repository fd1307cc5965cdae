"""The trigger-point catalogue: body regions, muscles, trigger points and their referral zones,
and the techniques, drills and findings the planner draws on.

Reference data: loaded from the files in `triggerpoints/data/` by `manage.py load_catalogue` and
curated in Django admin.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse

from .vocabulary import KeyList


class Confidence(models.TextChoices):
    HIGH = "H", "High"
    MEDIUM = "M", "Medium"
    UNCERTAIN = "U", "Uncertain"


class View(models.TextChoices):
    FRONT = "front", "Front"
    BACK = "back", "Back"


class Side(models.TextChoices):
    """The patient's side, of a body region, a trigger point or a plan item. One enum for the
    catalogue and the records (patients and plans import it); "" in a record means not given."""

    LEFT = "l", "Left"
    RIGHT = "r", "Right"
    MIDLINE = "m", "Midline"


class BodyGroup(models.TextChoices):
    HEAD_JAW = "head-jaw", "Head and jaw"
    NECK = "neck", "Neck"
    SHOULDER_UPPER_BACK = "shoulder-upper-back", "Shoulder girdle and upper back"
    CHEST_TRUNK = "chest-trunk", "Chest and anterior trunk"
    UPPER_LIMB = "upper-limb", "Upper limb"
    BACK_PELVIC_FLOOR = "back-pelvic-floor", "Back and pelvic floor"
    HIP_BUTTOCK = "hip-buttock", "Hip and buttock"
    THIGH = "thigh", "Thigh"
    LEG_FOOT = "leg-foot", "Leg and foot"


def _needs_safer_variant(entry: "ReleaseTechnique | Drill") -> None:
    if entry.softened_by and not entry.safer_variant.strip():
        raise ValidationError(
            {"safer_variant": "Needed when a precaution softens it (softened_by names one)."}
        )


def precaution_keys(help_text: str) -> models.JSONField:
    """A list of patient precaution keys (triggerpoints.precautions), checked in admin and
    by the loader alike."""
    return models.JSONField(
        default=list, blank=True, validators=[KeyList("precaution")], help_text=help_text
    )


class SourcedEntry(models.Model):
    """Fields every curated entry carries: how sure we are, and where it comes from."""

    confidence = models.CharField(max_length=1, choices=Confidence.choices)
    sources = models.TextField(help_text="One source per line: a citation, a URL, or both.")

    class Meta:
        abstract = True

    @property
    def source_list(self) -> list[str]:
        return [line.strip() for line in self.sources.splitlines() if line.strip()]


# --- Body regions -------------------------------------------------------------------------------


class BodyArea(models.Model):
    """One row of the region vocabulary; a sided area has a left and a right region."""

    code = models.CharField(max_length=40, unique=True)
    label = models.CharField(max_length=80)
    description = models.CharField(max_length=200)
    view = models.CharField(max_length=5, choices=View.choices)
    group = models.CharField(max_length=40)
    sided = models.BooleanField()
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order"]

    def __str__(self) -> str:
        return f"{self.label} ({self.code})"


class BodyRegion(models.Model):
    """One of the 90 codes a patient's pain is marked in: an area on one side, or a midline area."""

    code = models.CharField(max_length=42, unique=True)
    area = models.ForeignKey(BodyArea, on_delete=models.CASCADE, related_name="regions")
    side = models.CharField(max_length=1, choices=Side.choices)

    class Meta:
        ordering = ["area__sort_order", "side"]
        constraints = [
            models.UniqueConstraint(fields=["area", "side"], name="region_unique_area_side"),
            models.CheckConstraint(condition=Q(side__in=Side.values), name="region_side_valid"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return region_label(self.area.label, self.side)


def region_label(area_label: str, side: str) -> str:
    """'Temple (patient's left)': sides are always the patient's, never the viewer's."""
    if side == Side.LEFT:
        return f"{area_label} (patient's left)"
    if side == Side.RIGHT:
        return f"{area_label} (patient's right)"
    return area_label


# --- Vocabularies the plan draws on -------------------------------------------------------------


class ReleaseTechnique(SourcedEntry):
    class PerformedBy(models.TextChoices):
        CLINICIAN = "clinician", "Clinician"
        SELF = "self", "Patient (self-care)"
        EITHER = "either", "Clinician or patient"

    key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    how = models.TextField()
    dosage = models.CharField(max_length=200)
    performed_by = models.CharField(max_length=10, choices=PerformedBy.choices)
    clinician_only = models.BooleanField(
        default=False, help_text="Named in plans but never instructed (e.g. dry needling)."
    )
    plan_priority = models.PositiveSmallIntegerField(
        default=50,
        help_text="When a plan picks a technique for a trigger point, the lowest number wins.",
    )
    # Precautions (triggerpoints.precautions, facts §12) as catalogue data, applied by plans.rules.
    applies_pressure = models.BooleanField(
        default=False, help_text="Presses on the trigger point (site cautions apply)."
    )
    excluded_by = precaution_keys("Patient precautions that rule it out.")
    softened_by = precaution_keys("Patient precautions that switch to the safer variant.")
    clinic_only_with = precaution_keys("Patient precautions that keep it in the clinic.")
    safer_variant = models.TextField(max_length=1000, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        _needs_safer_variant(self)


class Drill(SourcedEntry):
    class Kind(models.TextChoices):
        POSTURAL = "postural", "Postural retraining"
        BREATHING = "breathing", "Breathing retraining"

    key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    instructions = models.TextField()
    dosage = models.CharField(max_length=200, help_text="Starting dosage.")
    progression = models.TextField(blank=True)
    cautions = models.TextField(blank=True)
    supine = models.BooleanField(default=False, help_text="Done lying flat on the back.")
    excluded_by = precaution_keys("Patient precautions that rule it out.")
    softened_by = precaution_keys("Patient precautions that switch to the safer variant.")
    safer_variant = models.TextField(
        max_length=1000,
        blank=True,
        help_text="The safer version (side-lying or seated when supine; gentler).",
    )

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        _needs_safer_variant(self)


class PosturalFinding(SourcedEntry):
    key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    detection = models.TextField(help_text="How to see or test it.")
    short_muscles = models.ManyToManyField(
        "Muscle",
        blank=True,
        related_name="postural_findings_short",
        help_text="Held short or overactive: release and stretch.",
    )
    long_muscles = models.ManyToManyField(
        "Muscle",
        blank=True,
        related_name="postural_findings_long",
        help_text="Held long or inhibited: activate and strengthen.",
    )
    drills = models.ManyToManyField(Drill, blank=True, related_name="postural_findings")
    complaints = models.TextField(blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class BreathingFinding(SourcedEntry):
    key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    detection = models.TextField(help_text="How it shows.")
    muscles = models.ManyToManyField("Muscle", blank=True, related_name="breathing_findings")
    drills = models.ManyToManyField(Drill, blank=True, related_name="breathing_findings")
    plan_cues = models.JSONField(
        default=list,
        blank=True,
        validators=[KeyList("plan cue", "cue")],
        help_text="Examination results that bring this finding's drills into a plan: "
        "pattern:upper-chest, pattern:paradoxical, mouth-breathing, nijmegen:positive, "
        "bolt:low, rate:high, accessory-trigger-point (an active trigger point in one of the "
        "finding's muscles).",
    )
    complaints = models.TextField(blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PerpetuatingFactor(models.Model):
    class Category(models.TextChoices):
        POSTURE = "posture", "Posture"
        BREATHING = "breathing", "Breathing"
        WORK = "work", "Work and workstation"
        ACTIVITY = "activity", "Activity and sport"
        TRAUMA = "trauma", "Injury and overload"
        HABIT = "habit", "Habit"
        SLEEP = "sleep", "Sleep"
        STRUCTURAL = "structural", "Body structure"
        SYSTEMIC = "systemic", "General health"
        PSYCHOLOGICAL = "psychological", "Stress and mood"
        ENVIRONMENT = "environment", "Environment and clothing"

    key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    category = models.CharField(max_length=20, choices=Category.choices)
    description = models.TextField()
    advice = models.TextField(blank=True, help_text="Self-care or education for the patient.")
    postural_findings = models.ManyToManyField(
        PosturalFinding, blank=True, related_name="perpetuating_factors"
    )
    breathing_findings = models.ManyToManyField(
        BreathingFinding, blank=True, related_name="perpetuating_factors"
    )
    drills = models.ManyToManyField(Drill, blank=True, related_name="perpetuating_factors")
    intake_cues = models.JSONField(
        default=list,
        blank=True,
        validators=[KeyList("intake cue", "cue")],
        help_text="Intake answers that bring this factor's advice into a plan: "
        "activity:<daily activity key>, stress:high, self-care:poor-sleep, "
        "self-care:low-fluids, self-care:diet.",
    )
    sources = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# --- Muscles and trigger points -----------------------------------------------------------------


class MuscleQuerySet(models.QuerySet):
    def search(self, query: str) -> "MuscleQuerySet":
        query = query.strip()
        if not query:
            return self
        return self.filter(Q(name__icontains=query) | Q(aliases__icontains=query))

    def in_group(self, group: str) -> "MuscleQuerySet":
        return self.filter(group=group) if group else self

    def with_counts(self) -> "MuscleQuerySet":
        return self.annotate(trigger_point_count=Count("trigger_points", distinct=True))


class Muscle(models.Model):
    name = models.CharField(max_length=80, unique=True, help_text="Canonical name.")
    slug = models.SlugField(max_length=80, unique=True)
    aliases = models.TextField(blank=True, help_text="Other names, one per line.")
    group = models.CharField(max_length=30, choices=BodyGroup.choices)
    commonly_involved = models.BooleanField(
        default=False, help_text="Among the muscles most often involved in clinical series."
    )
    notes = models.TextField(blank=True, help_text="How posture and breathing load this muscle.")
    sort_order = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MuscleQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(group__in=BodyGroup.values), name="muscle_group_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("triggerpoints:muscle", args=[self.slug])

    @property
    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]


def point_choice_label(muscle: str, label: str) -> str:
    """How a picker names a trigger point: the muscle first, so a chosen option still says
    which muscle ("Levator scapulae — angle of neck and upper scapula") and typing the muscle's
    first letters finds it."""
    if len(label) > 1 and label[0].isupper() and label[1].islower():
        label = label[0].lower() + label[1:]
    return f"{muscle} — {label}"


class TriggerPoint(SourcedEntry):
    muscle = models.ForeignKey(Muscle, on_delete=models.CASCADE, related_name="trigger_points")
    label = models.CharField(max_length=80)
    location = models.TextField()
    location_area = models.ForeignKey(
        BodyArea,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Where the marker is drawn on the body map (same side as the trigger point).",
    )
    palpation = models.TextField(blank=True, help_text="Palpation hints.")
    symptoms = models.TextField(blank=True)
    mimics = models.TextField(blank=True, help_text="What the pattern can be mistaken for.")
    perpetuating_factors = models.ManyToManyField(
        PerpetuatingFactor, blank=True, related_name="trigger_points"
    )
    perpetuating_notes = models.TextField(blank=True)
    techniques = models.ManyToManyField(ReleaseTechnique, blank=True, related_name="trigger_points")
    release_notes = models.TextField(blank=True)
    self_stretch = models.TextField(blank=True)
    site_cautions = models.JSONField(
        default=list,
        blank=True,
        validators=[KeyList("site caution")],
        help_text="Keys of triggerpoints.precautions.SITE_CAUTIONS: what pressure here can harm.",
    )
    retired = models.BooleanField(
        default=False,
        help_text="No longer in the catalogue (split or corrected): kept for the patient records "
        "that name it, never offered or ranked.",
    )
    sort_order = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["muscle__sort_order", "sort_order", "label"]
        constraints = [
            models.UniqueConstraint(fields=["muscle", "label"], name="trigger_point_unique_label"),
            models.CheckConstraint(
                condition=Q(confidence__in=Confidence.values), name="trigger_point_confidence_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.muscle.name}: {self.label}"

    @property
    def choice_label(self) -> str:
        return point_choice_label(self.muscle.name, self.label)


class Symptom(SourcedEntry):
    """An associated symptom (facts §11): what a patient reports besides where it hurts, with the
    muscles whose trigger points are known to produce it. Keys are public vocabulary: add, never
    rename. Loaded from data/symptoms.toml."""

    key = models.SlugField(max_length=40, unique=True)
    label = models.CharField(max_length=120, help_text="What the patient reports, in plain words.")
    note = models.CharField(max_length=300, blank=True, help_text="A caution, e.g. a red flag.")
    muscles = models.ManyToManyField(Muscle, blank=True, related_name="symptoms")
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "key"]

    def __str__(self) -> str:
        return self.label


class ReferralZone(models.Model):
    """One area of a trigger point's referred-pain pattern, stored relative to the trigger
    point's side so that one entry serves the left and the right muscle."""

    class Kind(models.TextChoices):
        ESSENTIAL = "essential", "Essential"
        SPILLOVER = "spillover", "Spillover"

    class Laterality(models.TextChoices):
        SAME = "same", "Same side"
        BOTH = "both", "Both sides"
        MIDLINE = "midline", "Midline"

    trigger_point = models.ForeignKey(TriggerPoint, on_delete=models.CASCADE, related_name="zones")
    area = models.ForeignKey(BodyArea, on_delete=models.PROTECT, related_name="referral_zones")
    laterality = models.CharField(max_length=8, choices=Laterality.choices)
    kind = models.CharField(max_length=10, choices=Kind.choices)

    class Meta:
        ordering = ["kind", "area__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["trigger_point", "area"], name="zone_unique_area"),
            models.CheckConstraint(
                condition=Q(kind__in=["essential", "spillover"]), name="zone_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(laterality__in=["same", "both", "midline"]),
                name="zone_laterality_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.area.label} ({self.get_laterality_display()})"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.area_id is None:
            return
        if self.area.sided and self.laterality == self.Laterality.MIDLINE:
            raise ValidationError(
                {
                    "laterality": f"{self.area.label} has a left and a right side: "
                    "choose same side or both sides."
                }
            )
        if not self.area.sided and self.laterality != self.Laterality.MIDLINE:
            raise ValidationError({"laterality": f"{self.area.label} is a midline area."})


# --- The movement and loading screen (issue 17) -------------------------------------------------


class MovementTest(SourcedEntry):
    """A test of a global driver (posterior-chain loading, segmental function, muscle length,
    breath in movement): how to do it, how to score it, what is normal, how reliable it is, the
    muscles it loads and the drills that address an abnormal result. Loaded from
    data/movement_tests.toml; scored by patients.movement."""

    class Group(models.TextChoices):
        POSTERIOR_CHAIN = "posterior-chain", "Posterior chain"
        SEGMENTAL = "segmental", "Segmental function"
        MUSCLE_LENGTH = "muscle-length", "Muscle length"
        BREATH = "breath-in-movement", "Breath in movement"

    class Position(models.TextChoices):
        STANDING = "standing", "Standing"
        SITTING = "sitting", "Sitting"
        SUPINE = "supine", "Lying on the back"
        PRONE = "prone", "Lying face down"
        SIDE_LYING = "side-lying", "Lying on the side"
        QUADRUPED = "quadruped", "Kneeling on all fours"

    class Scoring(models.TextChoices):
        NUMERIC = "numeric", "A number"
        ORDINAL = "ordinal", "A score with anchors"

    key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    group = models.CharField(max_length=20, choices=Group.choices)
    strand = models.CharField(
        max_length=10, choices=Drill.Kind.choices, help_text="The plan strand it drives."
    )
    position = models.CharField(max_length=12, choices=Position.choices)
    sided = models.BooleanField(default=False, help_text="Recorded for the left and right.")
    how = models.TextField(max_length=2000, help_text="How to do it, in our own words.")
    scoring = models.CharField(max_length=8, choices=Scoring.choices)
    unit = models.CharField(max_length=10, blank=True)
    anchors = models.JSONField(
        default=list,
        blank=True,
        help_text="Ordinal only: a JSON list of the words for score 0, 1, 2, … (0 is best).",
    )
    value_min = models.FloatField(default=0, help_text="The lowest value the form accepts.")
    value_max = models.FloatField(help_text="The highest value the form accepts.")
    normal_min = models.FloatField(null=True, blank=True)
    normal_max = models.FloatField(null=True, blank=True)
    asymmetry_max = models.FloatField(
        null=True, blank=True, help_text="Sided: a larger difference between sides is abnormal."
    )
    asymmetry_percent = models.FloatField(
        null=True, blank=True, help_text="Sided: a larger difference, in % of the larger side."
    )
    normal_text = models.TextField(max_length=600, help_text="The normal range in words.")
    meaningful_change = models.FloatField(null=True, blank=True)
    meaningful_change_source = models.CharField(max_length=300, blank=True)
    reliability = models.TextField(max_length=600, help_text="The figure, or 'Not established'.")
    reliability_source = models.CharField(max_length=300)
    muscles = models.ManyToManyField(Muscle, blank=True, related_name="movement_tests")
    drills = models.ManyToManyField(Drill, blank=True, related_name="movement_tests")
    excluded_by = precaution_keys("Patient precautions that rule it out.")
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """The rules between fields, for admin and the loader alike."""
        errors = {}
        anchors, low, high = self.anchors or [], self.value_min, self.value_max
        if self.scoring == self.Scoring.ORDINAL:
            if len(anchors) < 2:
                errors["anchors"] = "An ordinal test needs at least two anchors."
            elif (low, high) != (0, len(anchors) - 1):
                errors["value_max"] = (
                    f"An ordinal test scores 0 to {len(anchors) - 1} (one per anchor)."
                )
        elif anchors:
            errors["anchors"] = "Anchors are for ordinal tests only."
        elif not self.unit:
            errors["unit"] = "A numeric test needs its unit."
        if low is not None and high is not None and high <= low:
            errors["value_max"] = "Must be above the lowest value (value_min)."
        if self.normal_min is None and self.normal_max is None:
            errors["normal_min"] = "Give normal_min, normal_max or both."
        if not self.sided and (self.asymmetry_max, self.asymmetry_percent) != (None, None):
            errors["asymmetry_max"] = "A side-to-side rule needs a sided test."
        if self.meaningful_change is not None and not self.meaningful_change_source:
            errors["meaningful_change_source"] = "Say where the meaningful change comes from."
        if errors:
            raise ValidationError(errors)


class CatalogueVersion(models.Model):
    """One row whose token changes whenever the catalogue does (load_catalogue, an editor's
    save in admin, any save or delete of a catalogue row). Each process keeps what it read
    from the catalogue with the token it read it under (triggerpoints.cache), and reads again
    when the token in the database differs: one small query a request instead of the
    catalogue's, and correct across any number of app servers. A fresh random token each time,
    never a counter, so a rolled-back change can't bring an old token back."""

    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Catalogue version {self.token} ({self.changed_at:%Y-%m-%d %H:%M})"
