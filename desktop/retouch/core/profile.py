"""One hub profile: which hub, which key, how inputs travel, where results go — decided once.

Every caller (the window, the settings dialog's Test Connection, ``retouch edit``,
``retouch batch``) asks :func:`resolve` instead of reading settings and the environment
itself. Every field follows the same rule, the first level that gives a value wins:

    command-line flag  >  environment  >  settings  >  default

==============  ================  ====================  =============  ===========================
field           flag              environment           setting        default
==============  ================  ====================  =============  ===========================
``base_url``    ``--api-base``    ``RETOUCH_API_BASE``  ``api_base``   ``https://hub.oxen.ai/api``
API key         (none)            ``OXEN_API_KEY``      the keyring¹   none
``upload``      ``--upload``      ``RETOUCH_UPLOAD``    ``upload``     ``data-uri``
``output_dir``  ``--out``         (none)                ``output_dir`` ``<data folder>/outputs``
``use_queue``   ``queue`` flag    (none)                ``use_queue``  on
``data_dir``    (none)            ``RETOUCH_DATA_DIR``  (none)         the platform's data folder
==============  ================  ====================  =============  ===========================

¹ The key is never a setting: the "settings" level of the key is what the user saved (the
OS keyring, or the session when there is none). There is no flag for it either: a key on
the command line is visible to every process on the machine.

An empty (or blank) value at any level counts as not given. **Demo mode** replaces the base
URL, the key and the upload method (the stand-in hub has no repositories), and keeps its
results apart: they go to ``<data folder>/demo-outputs`` (``DEMO_OUTPUTS``) whatever the
settings say, named ``demo-…`` with ``"demo": true`` in their sidecars, and the history marks
their runs (``HistoryStore(demo=True)``), so a tint is never mistaken for a paid result.

Bad values raise ``ConfigError`` from :func:`resolve`, naming where the value came from,
before anything is sent. The profile never holds the key: ``profile.key`` only knows how
to read it (once, lazily); its ``repr`` and :meth:`HubProfile.describe` never show it.
A profile is a snapshot: resolve again after the settings or the key changed.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from retouch.core import errors as E
from retouch.core.hub_client import DEFAULT_BASE_URL, READ_TIMEOUT, validate_base_url
from retouch.core.i18n import translate
from retouch.core.paths import DATA_DIR_ENV, data_dir_for
from retouch.core.secrets import ENV_VAR as KEY_ENV
from retouch.core.secrets import remember_secret, stored_api_key
from retouch.core.uploaders import parse_upload_spec

if TYPE_CHECKING:
    from retouch.core.cancel import CancelToken
    from retouch.core.hub_client import HubClient

BASE_URL_ENV = "RETOUCH_API_BASE"
UPLOAD_ENV = "RETOUCH_UPLOAD"
DEFAULT_UPLOAD = "data-uri"
DEFAULT_USE_QUEUE = True
#: Where the offline demo's results go, under the data folder (never the real outputs).
DEMO_OUTPUTS = "demo-outputs"

#: Where a field's value came from, in precedence order (``demo`` overrides them all).
LEVELS = ("flag", "environment", "settings", "default")

MISSING_KEY_MESSAGE = (
    "No API key. Set OXEN_API_KEY, or save a key in the app's Settings (it is kept in your "
    "system keyring). Get a key from your Oxen account settings."
)

#: How a saved key is read: returns (key or None, where it came from).
KeyReader = Callable[[], tuple[str | None, str]]


class SettingsSource(Protocol):
    """What the profile reads from settings: ``retouch.core.settings.Settings`` or a dict."""

    def get(self, name: str) -> Any: ...


@dataclass(frozen=True)
class ProfileFlags:
    """Values given on the command line (None = not given)."""

    api_base: str | None = None
    upload: str | None = None
    output_dir: Path | None = None
    use_queue: bool | None = None


@dataclass(frozen=True)
class DemoHub:
    """The local stand-in hub of demo mode (``retouch --demo``, the self-test)."""

    base_url: str
    api_key: str


class KeySource:
    """How the API key is obtained; reads it at most once, never shows it.

    ``origin`` names the level the key comes from: ``"environment"``, ``"settings"`` (the
    keyring or the session), ``"demo"``, ``"given"`` (a key passed in by code) or
    ``"none"``. ``where`` is finer: ``env``, ``keyring``, ``session``, ``demo``, ``given``
    or ``none`` (the values ``secrets.get_api_key`` uses for the first three).
    """

    def __init__(self, read: KeyReader, origin: str) -> None:
        self._read = read
        self._origin = origin
        self._lock = threading.Lock()
        self._value: tuple[str | None, str] | None = None

    @classmethod
    def fixed(cls, key: str | None, origin: str = "given", where: str | None = None) -> KeySource:
        """A key already known (from the environment, the demo hub, or code)."""
        key = (key or "").strip() or None
        remember_secret(key)
        value = (key, (where or origin) if key else "none")
        return cls(lambda: value, origin)

    def _get(self) -> tuple[str | None, str]:
        # The keyring may prompt the user to unlock it: ask once per profile, not per call.
        with self._lock:
            if self._value is None:
                key, where = self._read()
                key = (key or "").strip() or None
                remember_secret(key)
                self._value = (key, where if key else "none")
            return self._value

    def get(self) -> str | None:
        """The key, or None when none is set."""
        return self._get()[0]

    @property
    def where(self) -> str:
        return self._get()[1]

    @property
    def origin(self) -> str:
        return self._origin if self.get() else "none"

    def require(self) -> str:
        """The key; ``MissingKeyError`` (nothing sent) when there is none."""
        key = self.get()
        if not key:
            raise E.MissingKeyError(MISSING_KEY_MESSAGE)
        return key

    def __repr__(self) -> str:
        return f"KeySource(origin={self._origin!r})"


@dataclass(frozen=True)
class HubProfile:
    """Everything a run needs to know about the hub and where results go (no key inside)."""

    base_url: str
    key: KeySource = field(compare=False)
    upload: str
    output_dir: Path
    use_queue: bool
    data_dir: Path
    cache_dir: Path
    demo: bool = False
    #: The longest an edit is waited for (the ``max_edit_wait`` setting); None: the client's.
    max_edit_wait: float | None = None
    #: field name → the level its value came from (see ``LEVELS``; or ``"demo"``/``"given"``).
    origins: Mapping[str, str] = field(default_factory=dict, compare=False)

    @classmethod
    def fixed(
        cls,
        base_url: str,
        api_key: str | None,
        *,
        upload: str = DEFAULT_UPLOAD,
        output_dir: Path | None = None,
        cache_dir: Path | None = None,
        use_queue: bool = False,
        environment: Mapping[str, str] | None = None,
        max_edit_wait: float | None = None,
    ) -> HubProfile:
        """A profile from values a caller already holds (tests, callers that have not moved
        to :func:`resolve` yet). Validated like :func:`resolve`."""
        data = data_dir_for(os.environ if environment is None else environment)
        return cls(
            base_url=_check_base_url(base_url, "given"),
            key=KeySource.fixed(api_key),
            upload=_check_upload(upload, "given"),
            output_dir=Path(output_dir) if output_dir is not None else data / "outputs",
            use_queue=use_queue,
            data_dir=data,
            cache_dir=Path(cache_dir) if cache_dir is not None else data / "cache",
            max_edit_wait=max_edit_wait,
            origins=dict.fromkeys(
                ("base_url", "key", "upload", "output_dir", "use_queue"), "given"
            ),
        )

    # -- places ---------------------------------------------------------------------------

    def ensure_cache_dir(self) -> Path:
        """The cache folder (schemas, the upload cache), created if missing."""
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        return self.cache_dir

    @property
    def history_dir(self) -> Path:
        return self.data_dir / "history"

    def ensure_output_dir(self, folder: Path | None = None) -> Path:
        """Create the output folder and prove a file can be written in it; an
        ``OutputFolderError`` (an InputError: nothing sent, nothing paid) when it cannot."""
        from retouch.core.atomic import check_writable

        out = Path(folder) if folder is not None else self.output_dir
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise E.OutputFolderError(
                translate(
                    "core",
                    "The output folder '{folder}' cannot be used: {reason}. Choose another "
                    "one; nothing was sent.",
                ).format(folder=out, reason=exc.strerror or exc)
            ) from None
        try:
            check_writable(out)
        except OSError as exc:
            raise E.OutputFolderError(
                translate(
                    "core",
                    "The output folder '{folder}' cannot be used: nothing can be written in "
                    "it ({reason}). Choose another one; nothing was sent.",
                ).format(folder=out, reason=exc.strerror or exc)
            ) from None
        return out

    # -- the key and the client -----------------------------------------------------------

    def api_key(self) -> str | None:
        return self.key.get()

    def require_key(self) -> str:
        return self.key.require()

    def client(
        self, *, cancel: CancelToken | None = None, read_timeout: float = READ_TIMEOUT
    ) -> HubClient:
        """A new HubClient for this hub (one per run, so Cancel aborts just its sockets)."""
        from retouch.core.hub_client import HubClient, Limits

        return HubClient(
            self.base_url,
            self.require_key(),
            cancel=cancel,
            read_timeout=read_timeout,
            limits=Limits(max_edit_wait=self.max_edit_wait),
        )

    def describe(self) -> dict[str, str]:
        """Field → ``value (from level)``, for logs and the settings dialog: never the key."""
        shown = {
            "base_url": self.base_url,
            "key": "set" if self.key.get() else "not set",
            "upload": self.upload,
            "output_dir": str(self.output_dir),
            "use_queue": "on" if self.use_queue else "off",
        }
        return {
            name: f"{value} (from {self.origins.get(name, 'default')})"
            for name, value in shown.items()
        }


def resolve(
    settings: SettingsSource | Mapping[str, Any] | None = None,
    environment: Mapping[str, str] | None = None,
    flags: ProfileFlags | None = None,
    demo: DemoHub | None = None,
    *,
    stored_key: KeyReader = stored_api_key,
) -> HubProfile:
    """The profile for these sources; ``ConfigError`` naming the source of a bad value.

    *environment* defaults to ``os.environ``; *stored_key* reads the saved key (the keyring
    or the session), lazily and once.
    """
    env = os.environ if environment is None else environment
    flags = flags or ProfileFlags()
    origins: dict[str, str] = {}

    def pick(name: str, flag: Any, env_var: str | None, setting: str | None, default: Any) -> Any:
        candidates = (
            ("flag", flag),
            ("environment", env.get(env_var) if env_var else None),
            ("settings", _setting(settings, setting) if setting else None),
        )
        for level, value in candidates:
            if isinstance(value, str):
                value = value.strip()
            if value is not None and value != "":
                origins[name] = level
                return value
        origins[name] = "default"
        return default

    data_dir = data_dir_for(env)
    base = pick("base_url", flags.api_base, BASE_URL_ENV, "api_base", DEFAULT_BASE_URL)
    upload = pick("upload", flags.upload, UPLOAD_ENV, "upload", DEFAULT_UPLOAD)
    output = pick("output_dir", flags.output_dir, None, "output_dir", data_dir / "outputs")
    use_queue = pick("use_queue", flags.use_queue, None, "use_queue", DEFAULT_USE_QUEUE)
    for name, value, kind in (
        ("base_url", base, str),
        ("upload", upload, str),
        ("output_dir", output, (str, os.PathLike)),
        ("use_queue", use_queue, bool),
    ):
        if not isinstance(value, kind):
            raise E.ConfigError(
                f"The {_LABELS[name]} from {_where(name, origins[name])} has the wrong "
                f"type ({type(value).__name__})."
            )

    env_key = (env.get(KEY_ENV) or "").strip()
    if demo is not None:
        key = KeySource.fixed(demo.api_key, "demo")
        origins.update(base_url="demo", upload="demo", key="demo", output_dir="demo")
        base, upload = demo.base_url, DEFAULT_UPLOAD
        output = data_dir / DEMO_OUTPUTS
    elif env_key:
        key = KeySource.fixed(env_key, "environment", "env")
        origins["key"] = "environment"
    else:
        key = KeySource(stored_key, "settings")
        origins["key"] = "settings"
    origins.setdefault("data_dir", "environment" if env.get(DATA_DIR_ENV) else "default")
    return HubProfile(
        base_url=_check_base_url(base, _where("base_url", origins["base_url"])),
        key=key,
        upload=_check_upload(upload, _where("upload", origins["upload"])),
        output_dir=Path(output).expanduser(),
        use_queue=use_queue,
        data_dir=data_dir,
        cache_dir=data_dir / "cache",
        demo=demo is not None,
        max_edit_wait=_positive(_setting(settings, "max_edit_wait")),
        origins=origins,
    )


_LABELS = {
    "base_url": "hub address",
    "upload": "upload method",
    "output_dir": "output folder",
    "use_queue": "queue preference",
}
_SOURCE_NAMES = {
    ("base_url", "flag"): "--api-base",
    ("base_url", "environment"): BASE_URL_ENV,
    ("base_url", "settings"): "Settings → Hub address",
    ("upload", "flag"): "--upload",
    ("upload", "environment"): UPLOAD_ENV,
    ("upload", "settings"): "Settings → Send inputs",
    ("output_dir", "flag"): "--out",
    ("output_dir", "settings"): "Settings → Save results to",
    ("use_queue", "settings"): "the use_queue setting",
}


def _where(name: str, level: str) -> str:
    return _SOURCE_NAMES.get((name, level), level)


def _positive(value: Any) -> float | None:
    """A usable wait in seconds, or None (the client's default) for anything else."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        return None
    return float(value)


def _setting(settings: SettingsSource | Mapping[str, Any] | None, name: str) -> Any:
    if settings is None:
        return None
    value = settings.get(name)
    return value.strip() if isinstance(value, str) else value


def _check_base_url(url: str, where: str) -> str:
    try:
        return validate_base_url(url)
    except E.ConfigError as exc:
        raise E.ConfigError(_sourced(exc.message, where)) from None


def _sourced(message: str, where: str) -> str:
    return message if where == "given" else f"{message} (It comes from {where}.)"


def _check_upload(spec: str, where: str) -> str:
    try:
        parse_upload_spec(spec)
    except E.ConfigError as exc:
        raise E.ConfigError(_sourced(exc.message, where)) from None
    return spec.strip()
