"""Transport limits against a real local server (127.0.0.1 only): a slow drip of bytes, a
connection reset mid-body, a Retry-After of a day, and the overall deadline."""

from __future__ import annotations

import contextlib
import http.server
import socket
import struct
import threading
import time
import types
from collections.abc import Callable, Iterator

import pytest
import urllib3.util.retry

from data_sources.ssb.errors import (
    SSBConnectionLostError,
    SSBDeadlineError,
    SSBHTTPError,
    SSBRetryAfterError,
    SSBUnavailableError,
)
from data_sources.ssb.transport import MAX_RETRY_AFTER, Transport


@contextlib.contextmanager
def local_server(
    respond: Callable[[http.server.BaseHTTPRequestHandler], None],
) -> Iterator[tuple[str, list[float]]]:
    """A threaded HTTP server on 127.0.0.1 whose every GET is answered by ``respond``;
    yields its URL and the list of request times."""
    hits: list[float] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(time.monotonic())
            with contextlib.suppress(OSError):  # the client may hang up on purpose
                respond(self)

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/api/pxwebapi/v2/tables/14746/data", hits
    finally:
        server.shutdown()
        server.server_close()


def reset(handler: http.server.BaseHTTPRequestHandler) -> None:
    """Close with SO_LINGER 0: the kernel sends RST instead of FIN (connection reset)."""
    handler.wfile.flush()
    handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    handler.connection.close()


@pytest.fixture
def no_sleep(monkeypatch) -> list[float]:
    """urllib3's Retry sleeps through its module's ``time``; record instead of sleeping."""
    slept: list[float] = []
    monkeypatch.setattr(
        urllib3.util.retry, "time", types.SimpleNamespace(sleep=slept.append, time=time.time)
    )
    return slept


def test_slow_drip_of_bytes_is_stopped_by_the_overall_deadline():
    def drip(h):
        h.send_response(200)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", "100000")
        h.end_headers()
        for _ in range(400):  # one byte every 50 ms: never trips a 1 s read timeout
            h.wfile.write(b" ")
            h.wfile.flush()
            time.sleep(0.05)

    with local_server(drip) as (url, _):
        transport = Transport(timeout=(1.0, 1.0), deadline=1.5, retries=0, limiter=None)
        start = time.monotonic()
        with pytest.raises(SSBDeadlineError) as err:
            transport.get(url)
        elapsed = time.monotonic() - start
    assert 1.4 <= elapsed < 4.0  # stopped at the deadline, not after 20 s of dripping
    message = str(err.value)
    assert message.startswith("SSB (127.0.0.1) brukte mer enn 1.5 s på svaret (overall deadline")
    assert "byte mottatt" in message and "\n" not in message


def test_a_fast_answer_is_not_affected_by_the_deadline():
    def ok(h):
        body = b'{"ok": "bl\xc3\xa5"}'
        h.send_response(200)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    with local_server(ok) as (url, _):
        assert Transport(deadline=5.0, limiter=None).get(url) == '{"ok": "blå"}'


@pytest.mark.parametrize("how", ["reset", "closed-early"])
def test_connection_broken_mid_body_is_not_reported_as_no_network(how):
    def partial(h):
        h.send_response(200)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", "100000")
        h.end_headers()
        h.wfile.write(b'{"version": "2.0", "value": [' + b"1," * 2500)
        h.wfile.flush()
        time.sleep(0.2)  # let the client read the first part
        if how == "reset":
            reset(h)
        else:
            h.close_connection = True  # return: the server closes cleanly (FIN) mid-body

    with local_server(partial) as (url, _), pytest.raises(SSBConnectionLostError) as err:
        Transport(timeout=(2.0, 5.0), retries=0, limiter=None).get(url)
    message = str(err.value)
    assert message.startswith("Forbindelsen til SSB (127.0.0.1) ble brutt midt i svaret etter")
    assert "(connection reset mid-response)" in message
    assert "nettverkstilgang" not in message and "\n" not in message


def test_reset_before_the_answer_is_a_broken_connection_after_retries(no_sleep):
    with (
        local_server(reset) as (url, hits),
        pytest.raises(SSBConnectionLostError, match="ble brutt før svaret kom"),
    ):
        Transport(timeout=(2.0, 5.0), retries=2, limiter=None).get(url)
    assert len(hits) == 3  # urllib3 re-tried the read twice


def test_refused_connection_is_still_no_network():
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(SSBUnavailableError, match=r"Ingen nettverkstilgang til 127\.0\.0\.1"):
        Transport(timeout=(1.0, 1.0), retries=0, limiter=None).get(f"http://127.0.0.1:{port}/x")


def too_many(retry_after: str):
    def respond(h):
        h.send_response(429)
        h.send_header("Retry-After", retry_after)
        h.send_header("Content-Length", "0")
        h.end_headers()

    return respond


def test_retry_after_of_a_day_fails_at_once_instead_of_sleeping(no_sleep):
    with local_server(too_many("86400")) as (url, hits):
        start = time.monotonic()
        with pytest.raises(SSBRetryAfterError) as err:
            Transport(limiter=None).get(url)
    assert time.monotonic() - start < 5
    assert no_sleep == []  # not one second of the day was slept
    assert len(hits) == 1
    assert isinstance(err.value, SSBHTTPError) and err.value.status == 429
    message = str(err.value)
    assert message.startswith("SSB svarte 429 og ba oss vente 86400 s (Retry-After)")
    assert f"mer enn grensen på {MAX_RETRY_AFTER:g} s" in message and "\n" not in message
    assert message.endswith(f"prøv igjen senere: {url}")


def test_retry_after_under_the_cap_is_honoured_and_the_cap_is_configurable(no_sleep):
    with local_server(too_many("7")) as (url, _):
        with pytest.raises(SSBHTTPError, match="etter 3 forsøk"):
            Transport(retries=2, limiter=None).get(url)
        assert no_sleep == [7.0, 7.0]
        with pytest.raises(SSBRetryAfterError, match="grensen på 5 s"):
            Transport(limiter=None, max_retry_after=5).get(url)


def test_a_retry_that_would_pass_the_deadline_fails_before_sleeping(no_sleep):
    with (
        local_server(too_many("100")) as (url, _),
        pytest.raises(SSBDeadlineError, match="mer enn 30 s"),
    ):
        Transport(limiter=None, deadline=30).get(url)
    assert no_sleep == []
