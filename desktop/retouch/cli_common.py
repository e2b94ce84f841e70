"""What ``retouch edit`` and ``retouch batch`` share: argparse pieces and their reporting.

Only command-line concerns live here (options, parsing, printing to stderr). What a run
needs — the hub profile, the edit service — is in ``retouch.core``; the window never
imports this module or the CLI.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from retouch.core import errors as E
from retouch.core.hub_client import DEFAULT_BASE_URL
from retouch.core.profile import BASE_URL_ENV, HubProfile, ProfileFlags, resolve
from retouch.core.schema import DEFAULT_MODEL, NUM_IMAGES, RESOLUTIONS

if TYPE_CHECKING:
    from retouch.core.history import HistoryStore

#: The model options that become request parameters as they are (when given).
DIRECT_PARAMS = ("resolution", NUM_IMAGES, "output_format")


class Parser(argparse.ArgumentParser):
    """Usage errors exit 2 with one ``retouch: …`` line, like every other input error."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        print(f"retouch: {message}", file=sys.stderr)
        raise SystemExit(E.EXIT_USAGE)


def add_model_options(p: argparse.ArgumentParser, num_images_help: str) -> None:
    """The model and its parameters."""
    p.add_argument("--model", default=DEFAULT_MODEL, help=f"model id (default {DEFAULT_MODEL})")
    p.add_argument("--resolution", "-r", help=f"output size, e.g. {', '.join(RESOLUTIONS)}")
    p.add_argument("--num-images", "-n", dest=NUM_IMAGES, help=num_images_help)
    p.add_argument("--format", "-f", dest="output_format", help="png, jpeg or webp")
    p.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="any other model parameter (repeatable)",
    )


def add_hub_options(p: argparse.ArgumentParser, upload_help: str) -> None:
    """The flags of the hub profile (see ``retouch.core.profile`` for the precedence)."""
    p.add_argument("--out", "-o", type=Path, help="output folder (default: the data folder)")
    p.add_argument("--upload", default=None, help=upload_help)
    p.add_argument(
        "--api-base", help=f"hub API base URL (default ${BASE_URL_ENV} or {DEFAULT_BASE_URL})"
    )


def params_from_args(args: argparse.Namespace) -> dict[str, Any]:
    """The request parameters the model options name; ``--param`` values are sent as text
    and converted by the model's schema."""
    params: dict[str, Any] = {}
    for name in DIRECT_PARAMS:
        value = getattr(args, name)
        if value is not None:
            params[name] = value
    for item in args.param:
        if "=" not in item:
            raise E.ValidationError("param", f"--param needs NAME=VALUE (got '{item}').")
        name, value = item.split("=", 1)
        params[name.strip()] = value
    return params


def profile_from_args(
    args: argparse.Namespace, environment: Mapping[str, str] | None = None
) -> HubProfile:
    """The hub profile for these flags, the environment and the app's saved settings.

    ConfigError (exit 2) for a bad base URL or upload method, before anything is sent.
    """
    from retouch.core.paths import data_dir_for
    from retouch.core.settings import Settings

    env = os.environ if environment is None else environment
    flags = ProfileFlags(api_base=args.api_base, upload=args.upload, output_dir=args.out)
    # The settings file the window writes, so Settings → Hub address applies here too.
    return resolve(Settings(data_dir_for(env)), env, flags)


def open_history(profile: HubProfile) -> HistoryStore | None:
    """The app's history store, so CLI runs are kept and found in the window too."""
    from retouch.core.history import HistoryError, HistoryStore

    try:
        return HistoryStore(profile.history_dir)
    except (HistoryError, OSError) as exc:
        # Damaged or made by a newer Retouch: one line, and the edit goes on without history.
        print(f"retouch: note: this run is not recorded in history: {exc}.", file=sys.stderr)
        return None
