"""Speaker-tour solver: a tour-format instance in, a tour-format solution out (OR-Tools CP-SAT).

Pure library: it imports nothing of Flask or the database, so it runs the same in the web app,
in a background job and from ``python -m scheduler.solver``. The public names below are stable:
the app reads the format's defaults (``DEFAULT_RULES``), the distance formula (``haversine_km``)
and the checker (``scheduler.solver.checker.check_solution``) from here.
"""

from scheduler.solver.geo import EARTH_RADIUS_KM, haversine_km
from scheduler.solver.instance import (
    DEFAULT_RULES,
    INSTANCE_FORMAT,
    PERSONAL_LIMITS,
    READ_FORMATS,
    REQUEST_DEFAULTS,
    SPEAKER_DEFAULTS,
    Instance,
    InstanceError,
    parse_instance,
    parse_previous_solution,
)
from scheduler.solver.search import solve
from scheduler.solver.solution import PINNED_CONFLICT, SOLUTION_FORMAT, Progress, Solution

__all__ = ["DEFAULT_RULES", "EARTH_RADIUS_KM", "INSTANCE_FORMAT", "PERSONAL_LIMITS",
           "PINNED_CONFLICT", "READ_FORMATS", "REQUEST_DEFAULTS", "SOLUTION_FORMAT",
           "SPEAKER_DEFAULTS", "Instance", "InstanceError", "Progress", "Solution",
           "haversine_km", "parse_instance", "parse_previous_solution", "solve"]
