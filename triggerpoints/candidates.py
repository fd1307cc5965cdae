"""The ranked candidates as pages show them (the pain finder, the assessment page and the
drawing's live panel): each with its side and regions spelled out. Plain data in and out."""

from dataclasses import dataclass

from .ranking import Candidate

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
