"""The referral ranking, on small hand-made catalogues (no database) and on the shipped one."""

import pytest

from triggerpoints.ranking import (
    Catalogue,
    Pattern,
    UnknownFactorError,
    UnknownRegionError,
    UnknownSymptomError,
    Zone,
    load_catalogue,
    rank_candidates,
)

AREAS = ["lat.head.temple", "post.neck.upper", "post.neck.lower", "ant.face", "post.back.mid"]
CODES = frozenset([f"{a}.{s}" for a in AREAS for s in "lr"] + ["post.head.vertex"])


def pattern(
    pid: int,
    muscle: str,
    essential: list[str],
    spillover: list[str] = (),  # type: ignore[assignment]
    *,
    confidence: str = "M",
    common: bool = False,
    location: str | None = None,
    factors: tuple[str, ...] = (),
    label: str = "Central",
) -> Pattern:
    def zones(codes: list[str]) -> tuple[Zone, ...]:
        out = []
        for code in codes:
            if code.endswith(".b"):
                out.append(Zone(code[:-2], "both"))
            elif code.endswith(".x"):
                out.append(Zone(code[:-2], "same"))
            else:
                out.append(Zone(code, "midline"))
        return tuple(out)

    return Pattern(
        pid,
        muscle,
        muscle.lower(),
        label,
        confidence,
        common,
        zones(essential),
        zones(spillover),
        location=zones([location])[0] if location else None,
        factors=frozenset(factors),
    )


SYMPTOMS = {"tinnitus": frozenset({"Masseter"}), "stiff-neck": frozenset({"Levator"})}
FACTORS = frozenset({"clenching-bruxism", "phone-use"})


def catalogue(*patterns: Pattern) -> Catalogue:
    return Catalogue(
        region_codes=CODES,
        patterns=patterns,
        symptoms=SYMPTOMS,
        factor_keys=FACTORS,
        labels={"tinnitus": "Ringing in one ear", "clenching-bruxism": "Clenching"},
    )


def test_essential_match_outranks_spillover_match() -> None:
    cat = catalogue(
        pattern(1, "Spill", ["ant.face.x"], ["lat.head.temple.x"]),
        pattern(2, "Essential", ["lat.head.temple.x", "ant.face.x"]),
    )
    ranked = rank_candidates(["lat.head.temple.l"], catalogue=cat)
    assert [c.muscle for c in ranked] == ["Essential", "Spill"]
    assert ranked[0].explains_essential == ("lat.head.temple.l",)
    assert ranked[1].explains_spillover == ("lat.head.temple.l",)
    assert ranked[0].unmarked_essential == ("ant.face.l",)


def test_covering_more_marked_regions_wins() -> None:
    cat = catalogue(
        pattern(1, "Narrow", ["lat.head.temple.x"]),
        pattern(
            2,
            "Broad",
            ["lat.head.temple.x", "post.neck.upper.x", "post.neck.lower.x", "ant.face.x"],
        ),
    )
    ranked = rank_candidates(["lat.head.temple.r", "post.neck.upper.r"], catalogue=cat)
    # Broad explains both marked regions despite two unmarked essential zones.
    assert [c.muscle for c in ranked] == ["Broad", "Narrow"]
    assert ranked[0].explained == ("lat.head.temple.r", "post.neck.upper.r")


def test_pattern_closer_to_the_drawing_wins_when_both_explain_the_same() -> None:
    cat = catalogue(
        pattern(1, "Sprawling", ["lat.head.temple.x", "ant.face.x", "post.back.mid.x"]),
        pattern(2, "Tight", ["lat.head.temple.x"]),
    )
    ranked = rank_candidates(["lat.head.temple.l"], catalogue=cat)
    assert [c.muscle for c in ranked] == ["Tight", "Sprawling"]
    assert ranked[0].score > ranked[1].score


def test_sides_follow_the_marked_side() -> None:
    cat = catalogue(pattern(1, "Trap", ["lat.head.temple.x", "post.neck.upper.x"]))
    ranked = rank_candidates(["lat.head.temple.l"], catalogue=cat)
    assert [(c.muscle, c.side) for c in ranked] == [("Trap", "l")]
    both = rank_candidates(["lat.head.temple.l", "lat.head.temple.r"], catalogue=cat)
    assert [(c.side, c.explained) for c in both] == [
        ("both", ("lat.head.temple.l", "lat.head.temple.r"))
    ]
    assert both[0].side_words == "both sides"


def test_bilateral_pattern_is_listed_once_without_a_side() -> None:
    cat = catalogue(pattern(1, "Rectus", ["post.back.mid.b"], ["post.head.vertex"]))
    ranked = rank_candidates(["post.back.mid.r", "post.head.vertex"], catalogue=cat)
    assert len(ranked) == 1
    assert ranked[0].side is None
    assert ranked[0].explains_essential == ("post.back.mid.r",)
    assert ranked[0].explains_spillover == ("post.head.vertex",)
    assert ranked[0].unmarked_essential == ("post.back.mid.l",)


def test_unknown_codes_raise_a_clear_error() -> None:
    cat = catalogue(pattern(1, "Trap", ["lat.head.temple.x"]))
    with pytest.raises(UnknownRegionError) as error:
        rank_candidates(["lat.head.temple.l", "lat.head.temple.x", "knee"], catalogue=cat)
    assert error.value.codes == ["knee", "lat.head.temple.x"]
    assert str(error.value) == "Unknown body-region code(s): knee, lat.head.temple.x"


def test_ties_break_on_confidence_then_name() -> None:
    cat = catalogue(
        pattern(1, "Beta", ["lat.head.temple.x"], confidence="M"),
        pattern(2, "Alpha", ["lat.head.temple.x"], confidence="M"),
        pattern(4, "Sure", ["lat.head.temple.x"], confidence="H"),
        pattern(5, "Unsure", ["lat.head.temple.x"], confidence="U"),
    )
    ranked = rank_candidates(["lat.head.temple.l"], catalogue=cat)
    assert len({c.score for c in ranked}) == 1
    assert [c.muscle for c in ranked] == ["Sure", "Alpha", "Beta", "Unsure"]


def test_a_muscle_often_involved_gets_a_prior_not_a_tie_break() -> None:
    cat = catalogue(
        pattern(1, "Rare", ["lat.head.temple.x"], confidence="H"),
        pattern(2, "Common", ["lat.head.temple.x"], confidence="U", common=True),
    )
    ranked = rank_candidates(["lat.head.temple.l"], catalogue=cat)
    assert [c.muscle for c in ranked] == ["Common", "Rare"]
    assert ranked[0].score == pytest.approx(ranked[1].score + 0.3)
    assert ("prior", 0.3) in [(e.kind, e.weight) for e in ranked[0].evidence]


def test_pain_where_the_trigger_point_lies_counts() -> None:
    """Upper neck and top of shoulder: the muscle lying under the painful shoulder wins over one
    that only refers there."""
    cat = catalogue(
        pattern(1, "Refers", ["post.neck.upper.x", "post.neck.lower.x"]),
        pattern(2, "Lies", ["post.neck.upper.x", "lat.head.temple.x"], location="post.back.mid.x"),
    )
    ranked = rank_candidates(["post.neck.upper.l", "post.back.mid.l"], catalogue=cat)
    assert [c.muscle for c in ranked] == ["Lies", "Refers"]
    lies = ranked[0]
    assert lies.local == ("post.back.mid.l",)
    assert [e.kind for e in lies.evidence] == ["referral", "local"]
    assert lies.evidence[1].weight == 1.0


def test_local_pain_alone_brings_a_muscle_in() -> None:
    cat = catalogue(pattern(1, "Lumbar", ["post.head.vertex"], location="post.back.mid.x"))
    [only] = rank_candidates(["post.back.mid.l", "post.back.mid.r"], catalogue=cat)
    assert (only.muscle, only.side, only.score) == ("Lumbar", "both", 2.0)


def test_a_reported_symptom_moves_its_muscle_up() -> None:
    cat = catalogue(
        pattern(1, "Temporalis", ["lat.head.temple.x"], confidence="H"),
        pattern(2, "Masseter", ["lat.head.temple.x"], confidence="M"),
    )
    without = rank_candidates(["lat.head.temple.l"], catalogue=cat)
    assert [c.muscle for c in without] == ["Temporalis", "Masseter"]
    ranked = rank_candidates(["lat.head.temple.l"], symptoms=["tinnitus"], catalogue=cat)
    assert [c.muscle for c in ranked] == ["Masseter", "Temporalis"]
    assert ("symptom", "Reported: Ringing in one ear", 0.5) in [
        (e.kind, e.text, e.weight) for e in ranked[0].evidence
    ]


def test_a_symptom_never_brings_in_a_muscle_the_pain_does_not_fit() -> None:
    cat = catalogue(
        pattern(1, "Masseter", ["ant.face.x"]), pattern(2, "Trap", ["lat.head.temple.x"])
    )
    ranked = rank_candidates(["lat.head.temple.l"], symptoms=["tinnitus"], catalogue=cat)
    assert [c.muscle for c in ranked] == ["Trap"]


def test_a_perpetuating_factor_moves_its_muscle_up() -> None:
    cat = catalogue(
        pattern(1, "Alpha", ["lat.head.temple.x"]),
        pattern(2, "Masseter", ["lat.head.temple.x"], factors=("clenching-bruxism",)),
    )
    ranked = rank_candidates(
        ["lat.head.temple.l"], factors=["clenching-bruxism", "phone-use"], catalogue=cat
    )
    assert [c.muscle for c in ranked] == ["Masseter", "Alpha"]
    assert [(e.kind, e.text) for e in ranked[0].evidence][-1] == (
        "factor",
        "Keeps it going: Clenching",
    )


def test_one_row_per_muscle_listing_its_fitting_points_best_first() -> None:
    cat = catalogue(
        pattern(1, "Trapezius", ["post.neck.upper.x"], label="TrP2"),
        pattern(2, "Trapezius", ["lat.head.temple.x", "post.neck.upper.x"], label="TrP1"),
        pattern(3, "Trapezius", ["post.back.mid.x"], label="Lower"),
    )
    [row] = rank_candidates(["lat.head.temple.l", "post.neck.upper.l"], catalogue=cat)
    assert [p.label for p in row.points] == ["TrP1", "TrP2"]
    assert row.trigger_point == "TrP1" and row.explained == (
        "lat.head.temple.l",
        "post.neck.upper.l",
    )


@pytest.mark.parametrize(
    ("kind", "error"),
    [("symptoms", UnknownSymptomError), ("factors", UnknownFactorError)],
)
def test_unknown_symptom_and_factor_keys_raise_a_clear_error(kind: str, error: type) -> None:
    cat = catalogue(pattern(1, "Trap", ["lat.head.temple.x"]))
    with pytest.raises(error, match="no-such-key"):
        rank_candidates(["lat.head.temple.l"], catalogue=cat, **{kind: ["no-such-key"]})


def test_limit_and_empty_input() -> None:
    cat = catalogue(*(pattern(i, f"M{i}", ["lat.head.temple.x"]) for i in range(15)))
    assert len(rank_candidates(["lat.head.temple.l"], catalogue=cat)) == 10
    assert len(rank_candidates(["lat.head.temple.l"], limit=3, catalogue=cat)) == 3
    assert rank_candidates([], catalogue=cat) == []


def test_patterns_that_explain_nothing_are_left_out() -> None:
    cat = catalogue(pattern(1, "Face", ["ant.face.x"]), pattern(2, "Trap", ["lat.head.temple.x"]))
    assert [c.muscle for c in rank_candidates(["ant.face.r"], catalogue=cat)] == ["Face"]


@pytest.mark.django_db
def test_shipped_catalogue_puts_upper_trapezius_first_for_its_question_mark_pattern() -> None:
    ranked = rank_candidates(["lat.head.temple.l", "post.neck.upper.l", "post.neck.lower.l"])
    assert (ranked[0].muscle, ranked[0].side) == ("Upper trapezius", "l")
    assert set(ranked[0].explains_essential) == {
        "lat.head.temple.l",
        "post.neck.upper.l",
        "post.neck.lower.l",
    }


@pytest.mark.django_db
def test_shipped_catalogue_heel_pain_lists_soleus_and_intrinsic_foot_muscles() -> None:
    muscles = {c.muscle for c in rank_candidates(["post.foot.heel.r"], limit=10)}
    assert {"Soleus", "Quadratus plantae", "Abductor hallucis"} <= muscles


@pytest.mark.django_db
def test_load_catalogue_reads_the_database(django_assert_num_queries) -> None:  # noqa: ANN001
    # the catalogue's version token (triggerpoints.cache); zones, factor links, trigger points,
    # factors, region codes, symptoms with their muscles
    with django_assert_num_queries(7):
        cat = load_catalogue()
    with django_assert_num_queries(1):  # kept: only the token is read again
        assert load_catalogue() is cat
    assert len(cat.region_codes) == 90
    assert any(p.muscle == "Upper trapezius" for p in cat.patterns)
    assert "Masseter" in cat.symptoms["tinnitus"] and "stress" in cat.factor_keys
    trapezius = next(p for p in cat.patterns if p.muscle == "Upper trapezius")
    assert trapezius.location is not None and trapezius.factors


@pytest.mark.django_db
def test_shipped_catalogue_belt_line_low_back_pain_offers_quadratus_lumborum_on_both_sides() -> (
    None
):
    ranked = rank_candidates(["post.back.low.l", "post.back.low.r"], limit=5)
    ql = next(c for c in ranked if c.muscle == "Quadratus lumborum")
    assert ql.side == "both" and ql.local == ("post.back.low.l", "post.back.low.r")


@pytest.mark.django_db
def test_the_bench_presentations_use_only_known_keys_and_muscles() -> None:
    import tomllib
    from pathlib import Path

    data = tomllib.loads((Path(__file__).parents[2] / "bench" / "presentations.toml").read_text())
    presentations = data["presentation"]
    assert len(presentations) >= 40
    cat = load_catalogue()
    muscles = {p.muscle for p in cat.patterns}
    for p in presentations:
        assert set(p["regions"]) <= cat.region_codes, p["id"]
        assert set(p["symptoms"]) <= set(cat.symptoms), p["id"]
        assert set(p["factors"]) <= cat.factor_keys, p["id"]
        assert {p["first"], *p["also"]} <= muscles, p["id"]
        assert p["source"], p["id"]


def test_at_most_three_factors_count_and_the_rest_are_named() -> None:
    factors = ("f1", "f2", "f3", "f4", "f5")
    cat = Catalogue(
        region_codes=CODES,
        patterns=(pattern(1, "Busy", ["lat.head.temple.x"], factors=factors),),
        factor_keys=frozenset(factors),
    )
    [busy] = rank_candidates(["lat.head.temple.l"], factors=factors, catalogue=cat)
    counted = [e for e in busy.evidence if e.kind == "factor" and e.weight]
    assert len(counted) == 3
    assert busy.evidence[-1].text == "Also keeps it going: f4, f5 (at most 3 count)"
    assert busy.evidence[-1].weight == 0


@pytest.mark.django_db
def test_shipped_catalogue_upper_neck_and_top_of_shoulder_put_upper_trapezius_first() -> None:
    """The review's case: lower trapezius refers there, but the pain lies over the upper
    trapezius's own trigger points."""
    ranked = rank_candidates(["post.neck.upper.l", "post.shoulder.top.l"])
    assert (ranked[0].muscle, ranked[0].side) == ("Upper trapezius", "l")
    assert ranked[0].local == ("post.shoulder.top.l",)


@pytest.mark.django_db
def test_shipped_catalogue_belt_line_low_back_pain_puts_quadratus_lumborum_first() -> None:
    ranked = rank_candidates(["post.back.low.l", "post.back.low.r"])
    assert (ranked[0].muscle, ranked[0].side) == ("Quadratus lumborum", "both")
