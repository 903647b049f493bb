"""Speaker-tour scheduler.

``create_app`` is imported lazily, so that ``python -m scheduler.solve`` and the solver library
start without loading Flask, the database layer and the web app.
"""


def create_app(test_config: dict | None = None):
    from scheduler.app import create_app as build

    return build(test_config)
