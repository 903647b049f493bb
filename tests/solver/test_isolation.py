import subprocess
import sys


def test_the_solver_and_its_command_load_nothing_of_flask_or_the_database():
    probe = (
        "import sys, scheduler.solver, scheduler.solve, scheduler.solver.checker; "
        "print(sorted(m for m in ('flask', 'sqlalchemy', 'flask_sqlalchemy') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"
