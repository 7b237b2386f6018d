"""The room shows the request's time left on every step once it is opened, and warns at 15 min."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from ceremony import keys
from tests.ui.driver import open_window, start
from tests.ui.test_recovery import _request, _to_shares_page
from ui.widgets.request_clock import RequestClock, time_left_text

NOW = datetime(2026, 12, 2, 18, 0, tzinfo=UTC)


def test_the_line_warns_from_15_minutes_on() -> None:
    assert time_left_text(NOW + timedelta(hours=4), NOW) == (
        "The request expires at 22:00 UTC: 4 h 00 min left.",
        False,
    )
    assert time_left_text(NOW + timedelta(minutes=16), NOW)[1] is False
    text, warn = time_left_text(NOW + timedelta(minutes=15), NOW)
    assert warn and text.startswith("Only 15 minutes left on the request (it expires at 18:15")
    text, warn = time_left_text(NOW + timedelta(minutes=1), NOW)
    assert warn and text.startswith("Only 1 minute left")
    text, warn = time_left_text(NOW - timedelta(seconds=1), NOW)
    assert warn and "expired at 17:59 UTC" in text


def test_the_clock_follows_time_and_hides_without_a_request(qtbot: Any) -> None:
    expires: list[datetime | None] = [None]
    now = [NOW]
    clock = RequestClock(lambda: expires[0], now=lambda: now[0])
    qtbot.addWidget(clock)
    clock.show()
    clock.refresh()
    assert not clock.isVisible()
    expires[0] = NOW + timedelta(minutes=40)
    clock.refresh()
    assert clock.isVisible() and not clock.warning and "40 minutes left" in clock.text()
    now[0] = NOW + timedelta(minutes=26)
    clock.timer.timeout.emit()  # the clock's own tick
    assert clock.warning and clock.text().startswith("Only 14 minutes left")


def test_the_wizard_shows_the_time_left_once_the_request_is_open(
    qtbot: Any, air_gapped: Any
) -> None:
    window = open_window(qtbot, air_gapped)
    wizard = start(qtbot, window, "drill")
    assert not wizard.clock.isVisibleTo(wizard)  # no request yet
    with keys.new_component() as component:
        page = _to_shares_page(qtbot, wizard, _request("verify", component))
    assert page.isVisible()
    request = wizard.context.request
    assert request is not None
    assert wizard.clock.isVisibleTo(wizard)
    assert request.expires_at.strftime("%H:%M UTC") in wizard.clock.text()
    assert "left" in wizard.clock.text()
