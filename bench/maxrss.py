"""Run a command and write the peak resident memory (KiB) of it and its child processes to a file.

A child's ``ru_maxrss`` on Linux starts from the memory of the process that forked it, so a
benchmark measured from a big parent would be inflated by the parent's size. This wrapper is a bare
interpreter (started with ``-S``) of about 10 MiB, so what it reports is the command's own memory.
The solver runs its column bound in a process of its own, and ``ru_maxrss`` counts only the
largest process, never their sum: so every SAMPLE_SECONDS the resident memory of the command's
whole process tree is summed from /proc, and the figure written is the larger of that sum's peak
and the command's own ``ru_maxrss``.

Usage: python -S bench/maxrss.py OUT_FILE -- COMMAND [ARGS...]
"""

import os
import sys
import time

SAMPLE_SECONDS = 0.1
PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024


def _tree_rss_kib(root: int) -> int:
    """Resident memory of ``root`` and every process descended from it."""
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                # the command name may hold spaces: the parent id follows its closing bracket
                parent = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        try:
            with open(f"/proc/{pid}/statm") as f:
                total += int(f.read().split()[1]) * PAGE_KIB
        except (OSError, IndexError, ValueError):
            continue
        todo.extend(children.get(pid, ()))
    return total


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
    tree_peak = 0
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            break
        tree_peak = max(tree_peak, _tree_rss_kib(pid))
        time.sleep(SAMPLE_SECONDS)
    with open(out, "w") as f:
        f.write(f"{max(usage.ru_maxrss, tree_peak)}\n")
    code = os.waitstatus_to_exitcode(status)
    return 128 - code if code < 0 else code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
