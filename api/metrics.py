"""Prometheus metrics of one app instance (its own registry, so tests can run several apps)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.classified = Counter("smista_classified_total", "Messages classified through the API, by label",
                                  ["type", "urgency"], registry=self.registry)
        self.latency = Histogram("smista_http_request_seconds", "HTTP request latency", ["method", "route", "status"],
                                 registry=self.registry, buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5))

    def track_outbox(self, sessions) -> None:
        """Outbox depth, read at scrape time."""
        from sqlalchemy import func, select
        from triage.store import OutboxItem

        def depth() -> float:
            with sessions() as s:
                return float(s.scalar(select(func.count()).select_from(OutboxItem).where(OutboxItem.status == "pending")) or 0)
        Gauge("smista_outbox_pending", "Deliveries waiting in the outbox", registry=self.registry).set_function(depth)

    def observe(self, type_: str, urgency: str) -> None:
        self.classified.labels(type_, urgency).inc()
