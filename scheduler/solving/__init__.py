"""A solve run's life in the app: ``runs`` (its states and every transition), ``execute`` (one
run from claim to proposal), ``executors`` (thread or RQ, and ``launch``), ``redis_queue`` (the RQ
job and its worker), ``summary`` (what a person reads of a run, on the page and in the shell).
What the solver is given and what a re-solve keeps is the draft's business:
``services.proposal``."""
