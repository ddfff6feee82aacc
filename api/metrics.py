"""Prometheus metrics.

Two sources. What the store knows (messages by type and urgency, outbox depth, poller lag) is
read from the database at scrape time, so every API worker reports the same figures and they
include the poller's work, which runs in another process. What only the API process sees
(request latency, API classifications) lives in counters; with several uvicorn workers,
``smista serve`` points ``PROMETHEUS_MULTIPROC_DIR`` at a shared directory and a scrape adds up
all workers, the way prometheus-client's multiprocess mode is meant to be used.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from triage import queries
from triage.db import Sessions
from triage.models import CheckpointStatus, OutboxStatus, utcnow


class StoreCollector(Collector):
    def __init__(self, sessions: Sessions) -> None:
        self.sessions = sessions

    def collect(self) -> Iterator[Metric]:
        now = utcnow()
        counts = queries.store_counts(self.sessions)

        classified = GaugeMetricFamily("smista_messages_classified", "Classified messages in the store, by type and urgency",
                                       labels=["type", "urgency"])
        for type_, urgency, n in counts.labels:
            classified.add_metric([type_, urgency], n)
        by_status = GaugeMetricFamily("smista_messages", "Messages in the store, by processing status", labels=["status"])
        for status, n in counts.statuses:
            by_status.add_metric([status], n)
        depth = GaugeMetricFamily("smista_outbox_pending", "Deliveries waiting in the outbox", labels=["target"])
        dead = GaugeMetricFamily("smista_outbox_dead", "Deliveries in the dead-letter list", labels=["target"])
        for target, status, n in counts.outbox:
            (depth if status == OutboxStatus.PENDING else dead).add_metric([target], n)
        lag = GaugeMetricFamily("smista_poller_lag_seconds", "Seconds since the mailbox folder was last read to the end",
                                labels=["mailbox", "folder"])
        failing = GaugeMetricFamily("smista_poller_failing", "1 while the last attempt on the mailbox folder failed",
                                    labels=["mailbox", "folder"])
        for mailbox, folder, status, polled_at in counts.checkpoints:
            if polled_at is not None:
                lag.add_metric([mailbox, folder], (now - polled_at).total_seconds())
            failing.add_metric([mailbox, folder], float(status == CheckpointStatus.FAILING))
        backlog = GaugeMetricFamily("smista_unprocessed_oldest_seconds",
                                    "Age of the oldest stored message not yet parsed and classified (0 when none)")
        oldest = counts.oldest_unprocessed
        backlog.add_metric([], (now - oldest).total_seconds() if oldest else 0.0)
        yield from (classified, by_status, depth, dead, lag, failing, backlog)


class Metrics:
    """The metrics of one app instance (its own registry, so tests can run several apps)."""

    def __init__(self, sessions: Sessions) -> None:
        self.registry = CollectorRegistry()
        self.store = StoreCollector(sessions)
        self.registry.register(self.store)
        self.classified = Counter("smista_api_classified", "Messages classified by POST /v1/classify, by label",
                                  ["type", "urgency"], registry=self.registry)
        self.latency = Histogram("smista_http_request_seconds", "HTTP request latency", ["method", "route", "status"],
                                 registry=self.registry, buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5))

    def observe(self, type_: str, urgency: str) -> None:
        self.classified.labels(type_, urgency).inc()

    def exposition(self) -> bytes:
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):  # several workers: add up their files
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)
            registry.register(self.store)
            return generate_latest(registry)
        return generate_latest(self.registry)
