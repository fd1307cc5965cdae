"""The ranked candidates as pages show them (the pain finder, the assessment page and the
drawing's live panel): each with its side and regions spelled out, and the list rendered."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from . import cache
from .ranking import Candidate, Catalogue, rank_candidates

CANDIDATE_LIMIT = 25  # the first 10 are listed, the rest behind "show more"

SIDE_WORDS = {
    "l": "patient's left",
    "r": "patient's right",
    "both": "both sides",
    None: "either side",
}


@dataclass(frozen=True)
class CandidateRow:
    candidate: Candidate
    side: str
    essential: list[str]
    spillover: list[str]
    unmarked: list[str]


def candidate_rows(candidates: list[Candidate], labels: dict[str, str]) -> list[CandidateRow]:
    """Candidates with their regions spelled out, for `_candidates.html`."""
    return [
        CandidateRow(
            candidate=c,
            side=SIDE_WORDS[c.side],
            essential=[labels[code] for code in c.explains_essential],
            spillover=[labels[code] for code in c.explains_spillover],
            unmarked=[labels[code] for code in c.unmarked_essential],
        )
        for c in candidates
    ]


@dataclass(frozen=True)
class Ranked:
    rows: list[CandidateRow]
    html: SafeString  # `_candidates.html` for these rows


def ranked(
    codes: Iterable[str],
    *,
    symptoms: Iterable[str] = (),
    factors: Iterable[str] = (),
    labels: dict[str, str],
    catalogue: Catalogue | None = None,
) -> Ranked:
    """The candidate rows for the marked regions, symptoms and factors, and their list as
    HTML. Both depend on the catalogue and these keys alone (intensity, the patient, the
    clinic play no part; `labels` is the catalogue's region vocabulary), so they are kept in
    this process under the catalogue's version token (triggerpoints.cache.derived): the same
    marks on any page, for any clinic, rank and render once per catalogue version. The
    ranking reads the marks as a set and the symptoms and factors as sets; the list's
    heading counts the marks as given, so the key keeps them all, sorted. `catalogue`: the one
    the caller read already (the current one otherwise)."""
    codes = list(codes)
    symptoms, factors = frozenset(symptoms), frozenset(factors)

    def build() -> Ranked:
        rows = candidate_rows(
            rank_candidates(
                codes,
                symptoms=symptoms,
                factors=factors,
                region_words=labels,
                limit=CANDIDATE_LIMIT,
                catalogue=catalogue,
            ),
            labels,
        )
        html = render_to_string(
            "triggerpoints/_candidates.html",
            {"rows": rows, "marked": [labels[code] for code in codes]},
        )
        return Ranked(rows, mark_safe(html))  # noqa: S308 (rendered by our template)

    return cache.derived("candidates", (tuple(sorted(codes)), symptoms, factors), build)
