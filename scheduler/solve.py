"""The solver's command under its old name: ``python -m scheduler.solve`` runs
``python -m scheduler.solver`` (same options; see ``scheduler/solver/__main__.py``)."""

from __future__ import annotations

import sys

from scheduler.solver.__main__ import main

__all__ = ["main"]

if __name__ == "__main__":
    sys.exit(main(prog="python -m scheduler.solve"))
