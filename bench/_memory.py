"""Peak memory of a process as the benchmarks report it: ``VmHWM``, the high-water RSS of the
process's own address space.

Not ``ru_maxrss``: Linux carries that over the fork and exec that start a process, so a child
started by a benchmark that holds a corpus would report the benchmark's peak as its own.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path


def _hwm_mb(status: Path) -> float | None:
    try:
        for line in status.read_text(encoding="ascii").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        return None  # the process has just exited
    return None


def peak_rss_mb() -> float:
    """This process's peak RSS."""
    return _hwm_mb(Path("/proc/self/status")) or 0.0


def run_measured(args: list[str], every: float = 0.02, **popen: object) -> tuple[subprocess.CompletedProcess[str], float]:
    """Run ``args`` to the end, reading its ``VmHWM`` every ``every`` seconds: the last reading
    before it exits is its peak (a peak reached in its last ``every`` seconds would be missed)."""
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen)  # type: ignore[call-overload]
    status, peak = Path(f"/proc/{proc.pid}/status"), 0.0
    while proc.poll() is None:
        peak = max(peak, _hwm_mb(status) or 0.0)
        time.sleep(every)
    out, err = proc.communicate()
    return subprocess.CompletedProcess(args, proc.returncode, out, err), peak


def run_measured_tree(args: list[str], every: float = 0.02, **popen: object) -> tuple[subprocess.CompletedProcess[str], float, float]:
    """``run_measured``, and the largest peak among the processes it started (the attachment
    reader's worker): a process's own ``VmHWM`` does not count its children."""
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen)  # type: ignore[call-overload]
    status, peak, children = Path(f"/proc/{proc.pid}/status"), 0.0, 0.0
    while proc.poll() is None:
        peak = max(peak, _hwm_mb(status) or 0.0)
        try:
            pids = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
        except OSError:
            pids = []
        children = max([children] + [_hwm_mb(Path(f"/proc/{pid}/status")) or 0.0 for pid in pids])
        time.sleep(every)
    out, err = proc.communicate()
    return subprocess.CompletedProcess(args, proc.returncode, out, err), peak, children
