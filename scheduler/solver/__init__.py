"""Speaker-tour solver: a tour-format instance in, a tour-format solution out (OR-Tools CP-SAT).

Pure library: it imports nothing of Flask or the database, so it runs the same in the web app,
in a background job and from ``python -m scheduler.solve``.
"""

from scheduler.solver.instance import Instance, InstanceError, parse_instance
from scheduler.solver.search import solve
from scheduler.solver.solution import PINNED_CONFLICT, Progress, Solution

__all__ = ["PINNED_CONFLICT", "Instance", "InstanceError", "Progress", "Solution", "parse_instance",
           "solve"]
