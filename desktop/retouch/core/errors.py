"""Every failure the user can meet, as a typed exception with a message a designer can act on.

The CLI maps ``exit_code`` to its process status; the UI shows ``message`` and offers ``action``.
Messages never contain the API key, request bodies, data URIs or signed URLs.
"""

from __future__ import annotations

# CLI exit codes, shared with the UI's error banner logic.
EXIT_OK = 0
EXIT_USAGE = 2
EXIT_HUB = 3
EXIT_NETWORK = 4
EXIT_CANCELLED = 130
#: The edit was done (and billed) but a result could not be written to the output folder: it
#: is kept in Retouch's history (or, when even that failed, in a temporary folder) and the
#: message says where.
EXIT_NOT_SAVED = 5


class RetouchError(Exception):
    """Base of all errors the app reports to the user."""

    exit_code = EXIT_HUB
    #: What the UI offers next to the message: "retry", "set_key", "settings" or "".
    action = "retry"

    def __init__(self, message: str, *, detail: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail

    def __str__(self) -> str:
        return self.message


# --- local problems: nothing was sent -------------------------------------------------------


class InputError(RetouchError):
    """A local file or value cannot be used. Nothing was sent."""

    exit_code = EXIT_USAGE
    action = ""


class ValidationError(InputError):
    """A parameter is not one the model accepts."""

    def __init__(self, field: str, message: str, allowed: object = None) -> None:
        super().__init__(message)
        self.field = field
        self.allowed = allowed


class ConfigError(InputError):
    """The app is not set up to talk to the hub (no key, bad base URL)."""

    action = "settings"


class MissingKeyError(ConfigError):
    action = "set_key"


class OutputFolderError(InputError):
    """The output folder cannot take results (it cannot be created or written to): found
    before anything is sent, so nothing is paid for. The window offers Settings."""

    action = "settings"


class SaveError(RetouchError):
    """A result arrived but could not be written to disk (folder missing, read-only, full)."""

    exit_code = EXIT_USAGE
    action = "settings"


class ResultNotSavedError(SaveError):
    """A paid result that is kept — in history, or in memory — but is not in the output
    folder, which could not take it. The window offers "Save to Another Folder…"."""

    exit_code = EXIT_NOT_SAVED
    action = "save_elsewhere"


# --- the hub said no -------------------------------------------------------------------------


class HubError(RetouchError):
    """The hub answered with an error."""

    exit_code = EXIT_HUB

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        error_type: str | None = None,
        detail: str | None = None,
    ) -> None:
        super().__init__(message, detail=detail)
        self.status = status
        self.error_type = error_type


class AuthError(HubError):
    action = "set_key"


class InsufficientCreditsError(HubError):
    action = "settings"


class RateLimitedError(HubError):
    def __init__(self, message: str, *, retry_after: float | None = None, **kw: object) -> None:
        super().__init__(message, **kw)  # type: ignore[arg-type]
        self.retry_after = retry_after


class InvalidParamsError(HubError):
    action = ""


class ModelNotFoundError(HubError):
    action = "settings"


class InputFetchError(HubError):
    """The model server could not download an input or mask URL."""

    action = "settings"


class ConflictError(HubError):
    action = ""


class PayloadTooLargeError(HubError):
    action = ""


class NotFoundError(HubError):
    action = ""


class ServerError(HubError):
    pass


class MalformedReplyError(HubError):
    """The hub answered 2xx but the body is not what the contract says."""


class ResultDownloadError(HubError):
    """A result image could not be fetched or is not an image."""


# --- the network ----------------------------------------------------------------------------


class NetworkError(RetouchError):
    exit_code = EXIT_NETWORK


class ConnectFailedError(NetworkError):
    """Nothing was sent: safe to retry."""


class TlsError(NetworkError):
    action = "settings"


class HubTimeoutError(NetworkError):
    pass


class EditWaitError(HubTimeoutError):
    """The edit did not finish within the longest wait allowed; it may still be billed.

    ``collectable``: queued generations were left on the hub (not deleted), so the run can
    be collected later.
    """

    def __init__(self, message: str, *, collectable: bool = False) -> None:
        super().__init__(message)
        self.collectable = collectable


class SlowTransferError(NetworkError):
    """A reply or download arrived slower than the minimum rate and was stopped."""


class ConnectionLostError(NetworkError):
    pass


class CancelledError(RetouchError):
    exit_code = EXIT_CANCELLED
    action = ""

    def __init__(self, message: str = "Cancelled.") -> None:
        super().__init__(message)
