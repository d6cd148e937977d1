"""Transport: retries (429 with Retry-After, 5xx on GET and POST), timeouts, pacing, messages."""

from __future__ import annotations

import http.server
import threading
import time
import types

import pytest
import requests
import responses
import urllib3.util.retry

from data_sources.ssb.errors import SSBHTTPError, SSBTimeoutError, SSBUnavailableError
from data_sources.ssb.transport import USER_AGENT, RateLimiter, Transport

URL = "https://data.ssb.no/api/pxwebapi/v2/tables/07459"


class FakeClock:
    """Monotonic clock that only moves when someone sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def fake_limiter() -> tuple[RateLimiter, FakeClock]:
    clock = FakeClock()
    return RateLimiter(clock=clock, sleep=clock.sleep), clock


@responses.activate
def test_retries_429_then_succeeds_and_names_the_tool():
    responses.get(URL, status=429, headers={"Retry-After": "3"})
    responses.get(URL, status=429, headers={"Retry-After": "3"})
    responses.get(URL, json={"id": "07459"})
    assert Transport(limiter=None).get(URL) == '{"id": "07459"}'
    assert len(responses.calls) == 3
    assert responses.calls[0].request.headers["User-Agent"] == USER_AGENT
    assert USER_AGENT.startswith("kommunefram/0.1 (")


@responses.activate
def test_429_after_all_retries_is_one_clear_line():
    responses.get(URL, status=429, headers={"Retry-After": "1"})
    with pytest.raises(SSBHTTPError) as err:
        Transport(retries=4, limiter=None).get(URL)
    assert len(responses.calls) == 5
    assert err.value.status == 429
    assert str(err.value).startswith("SSB svarte 429 (for mange forespørsler")
    assert "etter 5 forsøk" in str(err.value) and "\n" not in str(err.value)


@responses.activate
def test_post_is_retried_on_503():
    url = "https://data.ssb.no/api/v0/no/table/07459"
    responses.post(url, status=503)
    responses.post(url, status=502)
    responses.post(url, json={"ok": True})
    assert Transport(limiter=None).post(url, {"query": []}) == '{"ok": true}'
    assert [c.request.method for c in responses.calls] == ["POST"] * 3


@responses.activate
def test_client_errors_are_not_retried():
    responses.get(URL, status=404)
    with pytest.raises(SSBHTTPError, match="SSB svarte 404 \\(finnes ikke"):
        Transport(limiter=None).get(URL)
    assert len(responses.calls) == 1


@responses.activate
def test_read_timeout_is_a_clear_error():
    responses.get(URL, body=requests.exceptions.ReadTimeout("read timed out"))
    with pytest.raises(SSBTimeoutError, match="svarte ikke innen 7 s"):
        Transport(timeout=(1, 7), limiter=None).get(URL)


@responses.activate
def test_connection_error_is_a_clear_error():
    responses.get(URL, body=requests.exceptions.ConnectionError("Name or service not known"))
    with pytest.raises(SSBUnavailableError) as err:
        Transport(limiter=None).get(URL)
    assert str(err.value) == "Ingen nettverkstilgang til data.ssb.no (no network access to SSB)"


def test_timeouts_are_explicit_connect_and_read(monkeypatch):
    seen = {}

    def fake_request(self, method, url, **kwargs):
        seen.update(kwargs)
        raise requests.exceptions.ConnectTimeout()

    monkeypatch.setattr(requests.Session, "request", fake_request)
    with pytest.raises(SSBUnavailableError, match="connect timeout"):
        Transport(timeout=(3.0, 30.0), limiter=None).get(URL)
    assert seen["timeout"] == (3.0, 30.0)


class _Flaky(http.server.BaseHTTPRequestHandler):
    """First request: 429 with Retry-After 7; then 200. Runs on 127.0.0.1 only."""

    hits = 0

    def do_GET(self) -> None:
        type(self).hits += 1
        if type(self).hits == 1:
            self.send_response(429)
            self.send_header("Retry-After", "7")
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            body = b'{"ok": 1}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    def log_message(self, *args) -> None:  # keep test output clean
        pass


def test_retry_after_is_honoured_through_real_urllib3(monkeypatch):
    """`responses` bypasses urllib3's sleep, so this uses a local server and a fake sleeper."""
    slept: list[float] = []
    fake_time = types.SimpleNamespace(sleep=slept.append, time=time.time)
    monkeypatch.setattr(urllib3.util.retry, "time", fake_time)
    server = http.server.HTTPServer(("127.0.0.1", 0), _Flaky)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    limiter, _ = fake_limiter()
    try:
        url = f"http://127.0.0.1:{server.server_port}/api/pxwebapi/v2/config"
        assert Transport(limiter=limiter).get(url) == '{"ok": 1}'
    finally:
        server.shutdown()
        server.server_close()
    assert _Flaky.hits == 2
    assert slept == [7.0]  # exactly SSB's Retry-After, no extra backoff
    assert len(limiter._starts) == 2  # the retry went through the rate limiter too


def test_rate_limiter_never_allows_more_than_30_starts_per_minute():
    clock = FakeClock()
    limiter = RateLimiter(30, 60.0, clock=clock, sleep=clock.sleep)
    starts = []
    for i in range(200):
        limiter.acquire()
        starts.append(clock.now)
        clock.now += 0.37 * (i % 3)  # uneven request durations
    for t in starts:
        assert sum(t <= s < t + 60.0 - 1e-6 for s in starts) <= 30  # 1e-6: float rounding
    assert starts[30] >= starts[0] + 60.0 - 1e-6  # the 31st had to wait for the window
    assert clock.slept  # it did wait, on the fake clock


def test_rate_limiter_does_not_wait_when_under_the_limit():
    clock = FakeClock()
    limiter = RateLimiter(30, 60.0, clock=clock, sleep=clock.sleep)
    for _ in range(30):
        limiter.acquire()
    assert clock.slept == []
    clock.now += 60.0
    limiter.acquire()  # the window has passed: no wait
    assert clock.slept == []


@responses.activate
def test_every_request_goes_through_the_limiter():
    responses.get(URL, json={})
    limiter, clock = fake_limiter()
    transport = Transport(limiter=limiter)
    for _ in range(35):
        transport.get(URL)
    assert len(responses.calls) == 35
    assert clock.slept == [60.0]  # the 31st waited for the window (fake clock), then 32-35 free
