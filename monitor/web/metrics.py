"""Prometheus metrics for ``monitor run --metrics-port``: the numbers of ``monitor stats``,
read from the database at each scrape (a read-only connection of its own)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

from monitor.models import iso, parse_iso
from monitor.store import Store


class StatsCollector:
    """A prometheus_client collector over ``Store.stats``."""

    def __init__(self, open_store: Callable[[], Store], cycle_key: str) -> None:
        self.open_store = open_store
        self.cycle_key = cycle_key

    def collect(self) -> Iterator[Any]:
        from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

        store = self.open_store()
        try:
            now = datetime.now(UTC)
            stats, finished = store.stats(iso(now)), store.get_meta(self.cycle_key)
        finally:
            store.close()
        feeds = GaugeMetricFamily("monitor_feeds", "Feeds and pages by last status",
                                  labels=["status"])
        for status, count in stats["feeds_by_status"].items():
            feeds.add_metric([status], count)
        yield feeds
        yield CounterMetricFamily("monitor_entries", "Entries stored",
                                  value=stats["totals"]["entries"])
        yield CounterMetricFamily("monitor_hits", "Hits stored", value=stats["totals"]["hits"])
        deliveries = GaugeMetricFamily("monitor_deliveries", "Deliveries by status",
                                       labels=["status"])
        for status, count in stats["deliveries"]["by_status"].items():
            deliveries.add_metric([status], count)
        yield deliveries
        latency = stats["deliveries"]["latency_seconds"]["median"]
        yield GaugeMetricFamily("monitor_delivery_latency_seconds",
                                "Median time from hit to delivered", value=latency or 0.0)
        age = (now - parse_iso(finished)).total_seconds() if finished else -1.0
        yield GaugeMetricFamily("monitor_last_cycle_age_seconds",
                                "Seconds since the last poll cycle finished (-1: never)",
                                value=age)


def serve_metrics(port: int, collector: StatsCollector, host: str = "127.0.0.1") -> None:
    """Serve /metrics in a background thread."""
    from prometheus_client import CollectorRegistry, start_http_server

    registry = CollectorRegistry()
    registry.register(collector)  # type: ignore[arg-type]
    start_http_server(port, addr=host, registry=registry)
