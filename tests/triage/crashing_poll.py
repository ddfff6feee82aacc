"""``smista poll --once`` with the crash tests' hook: SIGKILL at the step named in argv[1].

The hook lives here, not in the service: production code only offers the ``fault`` callback."""

from __future__ import annotations

import os
import signal
import sys

from triage.service import build
from triage.settings import Settings


def kill_at(target: str):
    def fault(point: str) -> None:
        if point == target:
            os.kill(os.getpid(), signal.SIGKILL)
    return fault


if __name__ == "__main__":
    services = build(Settings(), poll=True, dispatch=False, fault=kill_at(sys.argv[1]))
    assert services.poller is not None
    reports = services.poller.run_once()
    sys.exit(1 if any(r.error for r in reports.values()) else 0)
