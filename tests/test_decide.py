"""Pure scheduling decisions: backoff for a feed that fails for days, Retry-After, events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from monitor.decide import backoff, plan_update, source_event
from monitor.models import FeedState, FeedUpdate, FetchResult

NOW = datetime(2021, 9, 10, tzinfo=UTC)


def test_a_feed_failing_for_days_backs_off_to_six_hours_and_keeps_being_tried() -> None:
    state, moment, waits = FeedState("belta", "https://belta.by/rss"), NOW, []
    failure = FetchResult("error", state.url, 500, error="HTTP 500")
    while moment < NOW + timedelta(days=3):
        update = plan_update(state, failure, None, (), now=moment, interval=600,
                             first_poll="alert")
        next_check = datetime.fromisoformat(update.next_check_at.replace("Z", "+00:00"))
        waits.append((next_check - moment).total_seconds())
        state = FeedState(state.name, state.url, error_count=update.error_count)
        moment = next_check
    assert waits[:4] == [600, 1200, 2400, 4800]  # doubling (rand 0.5: no jitter)
    assert max(waits) == 6 * 3600 and not update.disabled and len(waits) > 10


def test_jitter_and_retry_after() -> None:
    assert backoff(1, 600, rand=0.0) == 540 and backoff(1, 600, rand=1.0) == 660
    busy = FetchResult("error", "u", 429, error="HTTP 429", retry_after=7200)
    update = plan_update(FeedState("f", "u"), busy, None, (), now=NOW, interval=600,
                         first_poll="alert")
    assert update.next_check_at == "2021-09-10T02:00:00Z"


def test_source_events_fire_once_each() -> None:
    failing = FeedUpdate("f", "error", "", "")
    ok = FeedUpdate("f", "ok", "", "")
    since = (NOW - timedelta(hours=7)).strftime("%Y-%m-%dT%H:%M:%SZ")
    fresh = FeedState("f", "u", failing_since=since)
    assert source_event(fresh, failing, NOW, 6 * 3600) == "source_failing"
    alerted = FeedState("f", "u", failing_since=since, failing_alerted=True)
    assert source_event(alerted, failing, NOW, 6 * 3600) is None
    assert source_event(alerted, ok, NOW, 6 * 3600) == "source_recovered"
    assert source_event(FeedState("f", "u"), ok, NOW, 6 * 3600) is None
