"""Several uvicorn workers, each with its own listening socket on the same port (``SO_REUSEPORT``).

uvicorn's own ``--workers`` shares one listening socket between the processes: whichever worker
wakes first accepts every connection waiting, so a burst of new connections lands on one worker
(one run of ``bench/api.py`` at concurrency 64 served 487 requests/s on one core while the other
idled). With a socket per worker the kernel spreads the connections over the workers by their
address hash, and a worker busy classifying does not take the next connection from one that is
free. Each worker binds its socket itself, so the supervisor holds none that could take a share
of the connections and never accept them.

The supervisor starts the workers, restarts one that dies (all of them stop when one cannot start:
the app, its settings or the port are broken), and stops them all on SIGINT/SIGTERM.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import socket
import threading
from typing import Any

import uvicorn
from uvicorn.config import STARTUP_FAILURE

log = logging.getLogger(__name__)


def listening_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound with SO_REUSEPORT, listening: one of the port's group."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _worker(app: str, options: dict[str, Any]) -> None:
    sock = listening_socket(options["host"], options["port"])
    config = uvicorn.Config(app, factory=True, **options)
    uvicorn.Server(config).run(sockets=[sock])


def serve(app: str, workers: int, options: dict[str, Any], restart_delay: float = 1.0) -> None:
    """Run ``workers`` processes of the app factory ``app`` (``module:function``) until a signal."""
    context = multiprocessing.get_context("spawn")  # a fresh interpreter: nothing of this process is shared
    stop = threading.Event()

    def start() -> multiprocessing.process.BaseProcess:
        process = context.Process(target=_worker, args=(app, options), name="smista-api", daemon=False)
        process.start()
        return process

    def on_signal(signum: int, _frame: object) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    processes = [start() for _ in range(workers)]
    log.info("%d API workers on %s:%d, a listening socket each (SO_REUSEPORT)", workers, options["host"], options["port"])
    try:
        while not stop.wait(0.5):
            for i, process in enumerate(processes):
                if not process.is_alive() and process.exitcode == STARTUP_FAILURE:
                    log.error("API worker %s could not start (app, settings or port): stopping", process.pid)
                    stop.set()
                elif not process.is_alive():
                    log.error("API worker %s exited with %s; starting another", process.pid, process.exitcode)
                    stop.wait(restart_delay)
                    if not stop.is_set():
                        processes[i] = start()
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()  # uvicorn finishes the requests in flight and runs the lifespan's shutdown
        for process in processes:
            process.join(30)
            if process.is_alive():
                process.kill()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
