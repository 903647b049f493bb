"""Run a command and write its own peak resident memory (KiB) to a file.

A child's ``ru_maxrss`` on Linux starts from the memory of the process that forked it, so a
benchmark measured from a big parent would be inflated by the parent's size. This wrapper is a bare
interpreter (started with ``-S``) of about 10 MiB, so what it reports is the command's own peak.

Usage: python -S bench/maxrss.py OUT_FILE -- COMMAND [ARGS...]
"""

import os
import sys


def main(argv: list[str]) -> int:
    out, separator, command = argv[0], argv[1], argv[2:]
    if separator != "--" or not command:
        sys.stderr.write(__doc__)
        return 2
    pid = os.fork()
    if pid == 0:
        try:
            os.execvp(command[0], command)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    with open(out, "w") as f:
        f.write(f"{usage.ru_maxrss}\n")
    code = os.waitstatus_to_exitcode(status)
    return 128 - code if code < 0 else code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
