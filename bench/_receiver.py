"""The routing receiver of the tests in a process of its own, so that it does not share the
GIL with the dispatcher measured by bench/api.py. Prints its port; when stdin closes, prints
how many distinct idempotency keys it received."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.servers.receiver import Receiver  # noqa: E402

receiver = Receiver(sys.argv[1].encode()).start()
print(receiver.port, flush=True)
sys.stdin.read()
print(len(receiver.delivered_keys("/route")), flush=True)
receiver.stop()
