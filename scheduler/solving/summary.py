"""What a person reads of a solve run: the same figures on the Solve page and in the shell."""

from __future__ import annotations

from dataclasses import dataclass

from scheduler.models import SolveRun, SolveState


@dataclass(frozen=True)
class RunSummary:
    """How a run ended, read from its row and its solver result."""

    run_id: int
    state: str
    status: str | None
    assigned: int
    requests: int
    served_weight: int | None
    bound: int | None
    gap: float | None
    preference_penalty: int | None
    travel_km: float | None
    elapsed: float

    def line(self) -> str:
        """One line for scripts (``flask --app wsgi tour solve`` prints it on stdout)."""
        gap = f"{self.gap:.1%}" if self.gap is not None else "unknown"
        penalty = "?" if self.preference_penalty is None else self.preference_penalty
        return (
            f"Run #{self.run_id} {self.state}: {self.status or '?'}, "
            f"{self.assigned} of {self.requests} requests assigned, "
            f"served weight {self.served_weight} (bound {self.bound}, gap {gap}), "
            f"preference penalty {penalty}, "
            f"travel {self.travel_km or 0:.0f} km, {self.elapsed:.1f} s"
        )


def summarize(run: SolveRun) -> RunSummary:
    result = run.result or {}
    assigned = len(result.get("assignments", []))
    unassigned = len(result.get("unassigned", []))
    objective = result.get("objective", {})
    return RunSummary(
        run_id=run.id,
        state=run.state,
        status=result.get("status"),
        assigned=assigned,
        requests=assigned + unassigned,
        served_weight=run.served_weight,
        bound=run.bound,
        gap=run.gap,
        preference_penalty=objective.get("preference_penalty"),
        travel_km=objective.get("travel_km"),
        elapsed=run.elapsed,
    )


def progress_status(run: SolveRun) -> dict:
    """A run's progress as the Solve page's script polls it (JSON)."""
    return {
        "id": run.id,
        "state": run.state,
        "finished": run.state not in SolveState.ACTIVE,
        "cancel_requested": run.cancel_requested,
        "time_limit": run.time_limit,
        "elapsed": round(run.elapsed, 1),
        "progress": min(1.0, run.elapsed / run.time_limit) if run.time_limit else 0.0,
        "served_weight": run.served_weight,
        "bound": run.bound,
        "gap": run.gap,
        "error": run.error,
    }
