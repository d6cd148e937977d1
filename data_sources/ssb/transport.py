"""HTTP transport to SSB: one requests.Session with urllib3 retries, timeouts and pacing.

* urllib3 ``Retry`` re-sends GET and POST (SSB data queries are idempotent) on 429 and 5xx,
  honouring ``Retry-After`` and otherwise backing off exponentially.
* Every request has explicit (connect, read) timeouts; a hung SSB never hangs the app.
* SSB allows 30 queries per minute per IP; a process-wide sliding-window limiter keeps us
  under it, and it also paces urllib3's re-attempts (they are requests too).
* Failures become the one-line errors of ``data_sources.ssb.errors``.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from data_sources.ssb.errors import SSBHTTPError, SSBTimeoutError, SSBUnavailableError

USER_AGENT = (
    "kommunefram/0.1 (open-source kommune population and service projections; python-requests)"
)
RETRY_STATUSES = (429, 500, 502, 503, 504)
DEFAULT_TIMEOUT = (5.0, 120.0)  # (connect, read) seconds; big 07459 chunks take a while
DEFAULT_RETRIES = 5  # for 429/5xx answers, where SSB asks us to come back
CONNECT_RETRIES = 2  # offline is usually not transient: fail within seconds, not a minute
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


class _PacedRetry(Retry):
    """urllib3 Retry whose every re-attempt also waits for the rate limiter."""

    limiter: RateLimiter | None = None

    def sleep(self, response: Any = None) -> None:
        super().sleep(response)
        if self.limiter is not None:
            self.limiter.acquire()


def make_retry(retries: int, backoff_factor: float, limiter: RateLimiter | None) -> Retry:
    """The retry policy; a subclass per limiter because urllib3 copies Retry via ``type(self)``."""
    paced = type("PacedRetry", (_PacedRetry,), {"limiter": limiter})
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
    )


class Transport:
    """GET/POST returning response text, raising ``SSBError`` subclasses on failure."""

    def __init__(
        self,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        retries: int = DEFAULT_RETRIES,
        backoff_factor: float = 1.0,
        limiter: RateLimiter | None = PROCESS_LIMITER,
    ) -> None:
        self.timeout = timeout
        self.retries = retries
        self.limiter = limiter
        self.session = requests.Session()
        self.session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
        adapter = HTTPAdapter(max_retries=make_retry(retries, backoff_factor, limiter))
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
        try:
            resp = self.session.request(method, url, timeout=self.timeout, **kwargs)
        except requests.exceptions.ConnectTimeout as exc:
            raise SSBUnavailableError(host, "tidsavbrudd ved tilkobling (connect timeout)") from exc
        except requests.exceptions.Timeout as exc:
            raise SSBTimeoutError(host, self.timeout[1]) from exc
        except requests.exceptions.ConnectionError as exc:
            raise SSBUnavailableError(host) from exc
        except requests.exceptions.RequestException as exc:
            raise SSBUnavailableError(host, type(exc).__name__) from exc
        if resp.status_code >= 400:
            raise SSBHTTPError(resp.status_code, url, self._attempts(resp))
        return resp.text

    def _attempts(self, resp: requests.Response) -> int:
        """How many times we tried: urllib3 records its history on the raw response."""
        history = getattr(getattr(resp.raw, "retries", None), "history", None)
        if history is not None:
            return len(history) + 1
        return self.retries + 1 if resp.status_code in RETRY_STATUSES else 1
