"""Errors from talking to SSB, each with a one-line message a user can act on.

Messages are Norwegian first (the app's language) with the English gist in brackets, so a
log line is understandable to both; ``str(error)`` never contains a traceback.
"""

from __future__ import annotations

from typing import ClassVar


class SSBError(Exception):
    """Base class: anything that went wrong fetching or reading SSB data."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "Ukjent feil mot SSB"


class SSBUnavailableError(SSBError):
    """No connection to SSB at all (offline, DNS failure, refused connection)."""

    def __init__(self, host: str = "data.ssb.no", detail: str = "") -> None:
        msg = f"Ingen nettverkstilgang til {host} (no network access to SSB)"
        super().__init__(msg + (f": {detail}" if detail else ""))
        self.host = host


class SSBTimeoutError(SSBError):
    """SSB accepted the connection but did not answer within the read timeout."""

    def __init__(self, host: str, seconds: float) -> None:
        super().__init__(f"SSB ({host}) svarte ikke innen {seconds:g} s (timeout)")


class SSBDeadlineError(SSBTimeoutError):
    """The whole request (retries and the body included) took longer than its deadline:
    a server dripping bytes never trips a per-read timeout, so it is bounded as a whole."""

    def __init__(self, host: str, seconds: float, received: int = 0) -> None:
        SSBError.__init__(
            self,
            f"SSB ({host}) brukte mer enn {seconds:g} s på svaret (overall deadline; "
            f"{received} byte mottatt)",
        )


class SSBConnectionLostError(SSBError):
    """SSB was reached but the connection broke (reset, closed early) before the answer
    was complete: not "no network", and worth simply trying again."""

    def __init__(self, host: str, received: int | None = None) -> None:
        where = "før svaret kom" if received is None else f"midt i svaret etter {received} byte"
        super().__init__(
            f"Forbindelsen til SSB ({host}) ble brutt {where} (connection reset mid-response); "
            "prøv igjen"
        )


class SSBHTTPError(SSBError):
    """SSB answered with an error status, after retries where retrying makes sense."""

    REASONS: ClassVar[dict[int, str]] = {
        400: "ugyldig spørring (bad request)",
        403: "for stor spørring eller ingen tilgang (forbidden/too many cells)",
        404: "finnes ikke (not found)",
        429: "for mange forespørsler (too many requests)",
        500: "intern feil hos SSB (server error)",
        502: "feil i SSBs mellomtjener (bad gateway)",
        503: "tjenesten er utilgjengelig (service unavailable)",
        504: "tidsavbrudd hos SSB (gateway timeout)",
    }

    def __init__(self, status: int, url: str, attempts: int = 1) -> None:
        reason = self.REASONS.get(status, "uventet svar (unexpected status)")
        tail = f" etter {attempts} forsøk" if attempts > 1 else ""
        super().__init__(f"SSB svarte {status} ({reason}){tail}: {url}")
        self.status = status
        self.url = url
        self.attempts = attempts


class SSBFormatError(SSBError, ValueError):
    """The body is not the JSON-stat we asked for (truncated, malformed, inconsistent)."""

    def __init__(self, problem: str) -> None:
        super().__init__(f"Ugyldig JSON-stat fra SSB (malformed JSON-stat): {problem}")


class SSBValidationError(SSBError, ValueError):
    """The data parsed but fails the checks we require before it may enter the store."""

    def __init__(self, table: str, problem: str) -> None:
        super().__init__(f"Data for '{table}' besto ikke kontrollen (validation failed): {problem}")


class SSBRetryAfterError(SSBHTTPError):
    """SSB asked us to wait longer than we are willing to (``Retry-After`` above the cap)."""

    def __init__(self, status: int, url: str, wait: float, cap: float) -> None:
        SSBError.__init__(
            self,
            f"SSB svarte {status} og ba oss vente {wait:g} s (Retry-After), mer enn grensen "
            f"på {cap:g} s; prøv igjen senere: {url}",
        )
        self.status = status
        self.url = url
        self.attempts = 1
        self.wait = wait
