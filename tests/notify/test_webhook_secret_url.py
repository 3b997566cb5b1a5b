"""A webhook URL is often the credential (Slack, Teams): messages, the description and
the stored errors name its host only."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from monitor.errors import DeliveryError
from monitor.models import Alert
from monitor.notify.webhook import WebhookNotifier
from monitor.settings.load import load_config
from monitor.sources.netguard import AddressPolicy

TOKEN = "T0001/B0002/s3cr3tT0k3n"
ALERT = Alert("dlv_1", "hit_1", "hook", "union", "f", "Союзные программы",
              "https://news.example.org/1", None, "2021-09-10T09:00:00Z", ("союзные",), "x")


@pytest.mark.parametrize("status", [500, 404, 302])
def test_errors_and_description_show_the_host_only(webhook_server: HTTPServer,
                                                   status: int) -> None:
    webhook_server.expect_request(f"/services/{TOKEN}").respond_with_data("no", status=status)
    hook = WebhookNotifier("hook", {"url": webhook_server.url_for(f"/services/{TOKEN}")},
                           policy=AddressPolicy(allow_private=True))
    with pytest.raises(DeliveryError) as failed:
        hook.send(ALERT)
    assert TOKEN not in str(failed.value) and "127.0.0.1" in str(failed.value)
    assert TOKEN not in hook.describe()


def test_a_refused_address_shows_the_host_only() -> None:
    hook = WebhookNotifier("hook", {"url": f"http://127.0.0.1:9/services/{TOKEN}"})
    with pytest.raises(DeliveryError) as failed:
        hook.send(ALERT)
    assert "private" in str(failed.value) and TOKEN not in str(failed.value)


def test_a_bad_url_value_is_not_echoed_by_check(tmp_path: Path) -> None:
    config = tmp_path / "monitor.toml"
    config.write_text(f'[[notifiers]]\nname = "hook"\ntype = "webhook"\nurl = ["{TOKEN}"]\n')
    with pytest.raises(Exception) as failed:
        load_config(config)
    assert TOKEN not in str(failed.value) and "notifiers[0].url" in str(failed.value)
