"""Error replies of the fake hub: the typed and message shapes, and the stop signal."""

from __future__ import annotations

from http import HTTPStatus

_TYPED = {
    400: ("invalid_params", "Invalid parameters"),
    401: ("unauthenticated", "Unauthenticated"),
    402: ("insufficient_credits", "Insufficient credits"),
    403: ("forbidden", "Forbidden"),
    404: ("resource_not_found", "Resource not found"),
    405: ("method_not_allowed", "Method not allowed"),
    409: ("resource_already_exists", "Resource already exists"),
    413: ("payload_too_large", "Payload too large"),
    422: ("invalid_params", "Invalid parameters"),
    429: ("rate_limited", "Too many requests"),
}
DEFAULT_MESSAGES = {
    402: "Insufficient credits",
    429: "Rate limit exceeded. Please retry later.",
    500: "Internal server error",
    502: "Bad gateway",
    503: "Service temporarily unavailable",
    504: "Gateway timeout",
}


def error_type_for(status: int) -> tuple[str, str]:
    """(type, title) used in the typed error shape for an HTTP status."""
    if status in _TYPED:
        return _TYPED[status]
    if status >= 500:
        return "unknown_error", "Unknown error"
    return "invalid_params", "Request failed"


def reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


class ApiError(Exception):
    """An error reply: typed (``type`` set) or message shape (``type`` None)."""

    def __init__(self, status: int, detail: str, *, type: str | None = "auto", headers=None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.type = error_type_for(status)[0] if type == "auto" else type
        self.headers = headers or {}


class Stopped(Exception):
    """The hub is shutting down: abandon the request without a reply."""
