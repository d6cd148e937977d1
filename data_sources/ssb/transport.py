"""HTTP transport to SSB: one requests.Session with urllib3 retries, timeouts and pacing.

* urllib3 ``Retry`` re-sends GET and POST (SSB data queries are idempotent) on 429 and 5xx,
  honouring ``Retry-After`` and otherwise backing off exponentially.
* ``Retry-After`` is capped (``MAX_RETRY_AFTER``, 120 s): SSB asking for a day's wait is
  a clear failure now, not 30 hours of sleeping.
* Every request has explicit (connect, read) timeouts and an overall deadline covering its
  retries and the whole body: a server dripping a byte at a time never trips a per-read
  timeout, so a watchdog shuts the socket when the deadline passes. (The header phase is
  bounded by the read timeout only.)
* A connection that breaks after SSB was reached (reset, closed mid-body) is reported as
  such, not as "no network".
* SSB allows 30 queries per minute per IP; a process-wide sliding-window limiter keeps us
  under it, and it also paces urllib3's re-attempts (they are requests too).
* Failures become the one-line errors of ``data_sources.ssb.errors``.
"""

from __future__ import annotations

import contextlib
import contextvars
import inspect
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ProtocolError, ReadTimeoutError
from urllib3.util.retry import Retry

from data_sources.ssb.errors import (
    SSBConnectionLostError,
    SSBDeadlineError,
    SSBHTTPError,
    SSBRetryAfterError,
    SSBTimeoutError,
    SSBUnavailableError,
)

USER_AGENT = (
    "kommunefram/0.1 (open-source kommune population and service projections; python-requests)"
)
RETRY_STATUSES = (429, 500, 502, 503, 504)
DEFAULT_TIMEOUT = (5.0, 120.0)  # (connect, read) seconds; big 07459 chunks take a while
DEFAULT_RETRIES = 5  # for 429/5xx answers, where SSB asks us to come back
CONNECT_RETRIES = 2  # offline is usually not transient: fail within seconds, not a minute
MAX_RETRY_AFTER = 120.0  # seconds; a longer Retry-After fails at once with a clear message
DEFAULT_DEADLINE = 600.0  # seconds for one request: retries, waits and the whole body
CHUNK_BYTES = 64 * 1024
MAX_REQUESTS = 30
PERIOD_S = 60.0
_EPS = 1e-6


class RateLimiter:
    """At most ``max_requests`` request starts in any ``period`` seconds (sliding window).

    ``clock`` and ``sleep`` are injectable so tests can run it on a fake clock.
    """

    def __init__(
        self,
        max_requests: int = MAX_REQUESTS,
        period: float = PERIOD_S,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.max_requests = max_requests
        self.period = period
        self._clock = clock
        self._sleep = sleep
        self._starts: deque[float] = deque()
        self._lock = threading.Lock()

    def reset(self) -> None:
        """Forget the recorded starts, as a new process starts (a CLI run is one process)."""
        with self._lock:
            self._starts.clear()

    def acquire(self) -> None:
        """Block until one more request may start, then record its start."""
        with self._lock:
            while True:
                now = self._clock()
                # _EPS: a sleep of exactly the remaining time must free the slot even when
                # float rounding leaves the clock a hair short of it (else we'd spin).
                while self._starts and self._starts[0] + self.period <= now + _EPS:
                    self._starts.popleft()
                if len(self._starts) < self.max_requests:
                    self._starts.append(now)
                    return
                self._sleep(self._starts[0] + self.period - now)


PROCESS_LIMITER = RateLimiter()


@dataclass(frozen=True)
class _Sending:
    """The request being sent on this thread, for the retry policy's sleep."""

    url: str
    host: str
    end: float  # time.monotonic() deadline
    seconds: float


_SENDING: contextvars.ContextVar[_Sending | None] = contextvars.ContextVar(
    "ssb_sending", default=None
)


class _PacedRetry(Retry):
    """urllib3 Retry that caps Retry-After, keeps to the deadline and paces re-attempts."""

    limiter: RateLimiter | None = None
    max_retry_after: float = MAX_RETRY_AFTER

    def sleep(self, response: Any = None) -> None:
        sending = _SENDING.get()
        wait = self.get_retry_after(response) if response is not None else None
        if wait is not None and wait > self.max_retry_after:
            url = sending.url if sending else getattr(response, "url", None) or "SSB"
            raise SSBRetryAfterError(response.status, url, wait, self.max_retry_after)
        if sending is not None:
            pause = wait if wait is not None else self.get_backoff_time()
            if time.monotonic() + pause > sending.end:
                raise SSBDeadlineError(sending.host, sending.seconds)
        super().sleep(response)
        if self.limiter is not None:
            self.limiter.acquire()


# urllib3 >= 2.4 clamps Retry-After to ``retry_after_max`` (6 h) before we see it; lift that,
# so the cap above sees (and reports) what SSB actually asked for.
_UNCLAMPED = (
    {"retry_after_max": float("inf")}
    if "retry_after_max" in inspect.signature(Retry.__init__).parameters
    else {}
)


def make_retry(
    retries: int,
    backoff_factor: float,
    limiter: RateLimiter | None,
    max_retry_after: float = MAX_RETRY_AFTER,
) -> Retry:
    """The retry policy; a subclass per limiter because urllib3 copies Retry via ``type(self)``."""
    attrs = {"limiter": limiter, "max_retry_after": max_retry_after}
    paced = type("PacedRetry", (_PacedRetry,), attrs)
    return paced(
        total=retries,
        connect=min(retries, CONNECT_RETRIES),
        read=min(retries, CONNECT_RETRIES),
        status=retries,
        backoff_factor=backoff_factor,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET", "POST"}),
        respect_retry_after_header=True,
        raise_on_status=False,  # hand back the last response so we can name its status
        **_UNCLAMPED,
    )


def _broken_connection(exc: requests.exceptions.ConnectionError) -> bool:
    """True when SSB was reached and the connection then broke (not: no route, no DNS)."""
    reason = exc.args[0] if exc.args else None
    reason = getattr(reason, "reason", reason)  # MaxRetryError wraps the last cause
    return isinstance(reason, ProtocolError | ConnectionResetError)


class Transport:
    """GET/POST returning response text, raising ``SSBError`` subclasses on failure."""

    def __init__(
        self,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        retries: int = DEFAULT_RETRIES,
        backoff_factor: float = 1.0,
        limiter: RateLimiter | None = PROCESS_LIMITER,
        deadline: float = DEFAULT_DEADLINE,
        max_retry_after: float = MAX_RETRY_AFTER,
    ) -> None:
        self.timeout = timeout
        self.retries = retries
        self.limiter = limiter
        self.deadline = deadline
        self.session = requests.Session()
        self.session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
        retry = make_retry(retries, backoff_factor, limiter, max_retry_after)
        adapter = HTTPAdapter(max_retries=retry)
        self.session.mount("https://", adapter)
        self.session.mount("http://", adapter)

    def get(self, url: str, params: Mapping[str, str] | None = None) -> str:
        return self._send("GET", url, params=params)

    def post(self, url: str, body: Any) -> str:
        return self._send("POST", url, json=body)

    def _send(self, method: str, url: str, **kwargs: Any) -> str:
        host = urlsplit(url).hostname or url
        if self.limiter is not None:
            self.limiter.acquire()
        end = time.monotonic() + self.deadline
        token = _SENDING.set(_Sending(url, host, end, self.deadline))
        try:
            resp = self.session.request(method, url, timeout=self.timeout, stream=True, **kwargs)
        except requests.exceptions.ConnectTimeout as exc:
            raise SSBUnavailableError(host, "tidsavbrudd ved tilkobling (connect timeout)") from exc
        except requests.exceptions.Timeout as exc:
            raise SSBTimeoutError(host, self.timeout[1]) from exc
        except requests.exceptions.ConnectionError as exc:
            if _broken_connection(exc):
                raise SSBConnectionLostError(host) from exc
            raise SSBUnavailableError(host) from exc
        except requests.exceptions.RequestException as exc:
            raise SSBUnavailableError(host, type(exc).__name__) from exc
        finally:
            _SENDING.reset(token)
        try:
            if resp.status_code >= 400:
                raise SSBHTTPError(resp.status_code, url, self._attempts(resp))
            body = self._read_body(resp, host, end)
        finally:
            resp.close()
        # requests' own choice of charset (utf-8 for JSON), decoded as resp.text would
        return body.decode(resp.encoding or "utf-8", errors="replace")

    def _read_body(self, resp: requests.Response, host: str, end: float) -> bytes:
        """The whole body within the deadline; a watchdog shuts the socket if it passes."""
        expired = threading.Event()

        def fire() -> None:
            expired.set()
            shutdown = getattr(resp.raw, "shutdown", None)  # urllib3 >= 2.3
            if shutdown is not None:
                # no socket to shut (test doubles, already closed): the read loop checks too
                with contextlib.suppress(ValueError, RuntimeError, OSError):
                    shutdown()

        watchdog = threading.Timer(max(0.0, end - time.monotonic()), fire)
        watchdog.daemon = True
        watchdog.start()
        chunks: list[bytes] = []
        received = 0
        try:
            for chunk in resp.iter_content(CHUNK_BYTES):
                chunks.append(chunk)
                received += len(chunk)
                if expired.is_set() or time.monotonic() > end:
                    raise SSBDeadlineError(host, self.deadline, received)
        except (requests.exceptions.RequestException, ProtocolError, OSError) as exc:
            if expired.is_set():
                raise SSBDeadlineError(host, self.deadline, received) from exc
            cause = exc.args[0] if exc.args else None
            if isinstance(cause, ReadTimeoutError) or isinstance(exc, requests.exceptions.Timeout):
                raise SSBTimeoutError(host, self.timeout[1]) from exc
            raise SSBConnectionLostError(host, received) from exc
        finally:
            watchdog.cancel()
        if expired.is_set():  # the shut socket read as a clean end of a body without length
            raise SSBDeadlineError(host, self.deadline, received)
        return b"".join(chunks)

    def _attempts(self, resp: requests.Response) -> int:
        """How many times we tried: urllib3 records its history on the raw response."""
        history = getattr(getattr(resp.raw, "retries", None), "history", None)
        if history is not None:
            return len(history) + 1
        return self.retries + 1 if resp.status_code in RETRY_STATUSES else 1
