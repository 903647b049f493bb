"""What the solver returns: the solution in the tour format, and the progress it reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

SOLUTION_FORMAT = "speaker-tour-solution/2"
# how the reason of a pinned request starts when the pins contradict the rules (INFEASIBLE); the
# conflicts follow, separated by "; ", each in plain words with its rule named
PINNED_CONFLICT = "pinned, but the pins contradict the hard rules: "


@dataclass(frozen=True)
class Progress:
    """One improving solution during the search, for a progress bar or ``--progress``."""

    elapsed: float
    served_weight: int
    bound: int
    gap: float
    phase: str


@dataclass(frozen=True)
class Assignment:
    request: str
    speaker: str
    date: date


@dataclass(frozen=True)
class Unassigned:
    request: str
    reason: str


@dataclass(frozen=True)
class Solution:
    status: str
    assignments: tuple[Assignment, ...]
    unassigned: tuple[Unassigned, ...]
    served_weight: int
    preference_penalty: int
    travel_km: float
    bound: int
    wall_seconds: float

    @property
    def gap(self) -> float:
        """Relative distance of the served weight from the proven bound (0.0 when proven)."""
        return gap(self.served_weight, self.bound)

    def to_dict(self) -> dict:
        out = {
            "format": SOLUTION_FORMAT,
            "status": self.status,
            "assignments": [
                {"request": a.request, "speaker": a.speaker, "date": a.date.isoformat()}
                for a in self.assignments
            ],
            "unassigned": [{"request": u.request, "reason": u.reason} for u in self.unassigned],
            "objective": {
                "served_weight": self.served_weight,
                "preference_penalty": self.preference_penalty,
                "travel_km": self.travel_km,
            },
            "bound": {"served_weight": self.bound},
            "wall_seconds": round(self.wall_seconds, 2),
        }
        return out


def gap(served: int, bound: int) -> float:
    return 0.0 if bound <= 0 else max(0.0, (bound - served) / bound)
