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
    from retouch.core.placement import PlacementOptions
    from retouch.core.region import EditPlan
    from retouch.core.schema import ModelInfo

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
    p.add_argument(
        "--resolution",
        "-r",
        help="output size: auto (the default: the smallest that keeps the region's detail, "
        f"at the standard price) or one the model offers, e.g. {', '.join(RESOLUTIONS[:3])}; "
        "1K, 2K or 4K for models sized by aspect ratio and tier (gpt-image-2)",
    )
    p.add_argument(
        "--aspect",
        help="aspect ratio, for models that take one (gpt-image-2): auto (the default: "
        "nearest the region's) or e.g. 16:9",
    )
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


def add_placement_options(p: argparse.ArgumentParser) -> None:
    """Issue 12: what part of the photo is sent and how results go back into it."""
    g = p.add_argument_group(
        "placing results back into the photo",
        "By default the result saved is the whole photo at its full size with the edit "
        "placed into it; only the area around the mask is sent, at the model's resolution.",
    )
    g.add_argument(
        "--region",
        default="auto",
        metavar="auto|whole|X,Y,W,H",
        help="what is sent: auto (the mask with context around it; the default), whole "
        "(the whole photo) or a rectangle in photo pixels",
    )
    g.add_argument(
        "--feather",
        type=int,
        metavar="PX",
        help="softness of the edge where the edit meets the photo, in photo pixels "
        "(default: from the region's size)",
    )
    g.add_argument(
        "--no-color-match",
        dest="color_match",
        action="store_false",
        help="do not match the edit's colour and brightness to the photo around it",
    )
    g.add_argument(
        "--output",
        choices=("composite", "model"),
        default="composite",
        help="the file saved: composite (the photo with the edit placed in; the default) or "
        "model (the model's own picture, as it came)",
    )
    g.add_argument(
        "--allow-high-res",
        action="store_true",
        help="let an automatic resolution choose the high-resolution price tier",
    )
    g.add_argument(
        "--scale-to-original",
        action="store_true",
        help="whole-image edits without a mask: resample the result to the photo's size "
        "(plain resampling, not AI upscaling)",
    )


def placement_from_args(
    args: argparse.Namespace, environment: Mapping[str, str] | None = None
) -> PlacementOptions:
    """The placement options the flags name; the GPS choice is the app's setting."""
    from retouch.core.paths import data_dir_for
    from retouch.core.placement import PlacementOptions, parse_region
    from retouch.core.settings import Settings

    env = os.environ if environment is None else environment
    settings = Settings(data_dir_for(env))
    return PlacementOptions(
        region=parse_region(args.region),
        allow_high_res=bool(args.allow_high_res),
        feather=args.feather,
        color_match=bool(args.color_match),
        scale_to_original=bool(args.scale_to_original),
        output=args.output,
        keep_gps=not settings.get("remove_gps"),
    )


def size_params(args: argparse.Namespace, model: ModelInfo) -> dict[str, Any]:
    """``--aspect`` under the name *model* gives it (ValidationError when it has none)."""
    aspect = getattr(args, "aspect", None)
    if aspect is None or str(aspect).strip().lower() == "auto":
        return {}
    from retouch.core.sizes import size_vocabulary

    vocab = size_vocabulary(model)
    if vocab.aspect_param is None:
        raise E.ValidationError(
            "aspect", f"{model.display_name} takes no aspect ratio; leave --aspect out."
        )
    return {vocab.aspect_param: str(aspect).strip()}


def describe_plan(plan: EditPlan) -> str:
    """One line: what is sent and what it costs, e.g. ``the region 401×401 at 1400,800 of
    the 2400×1600 photo is sent as 1024×1024 · standard price · ≈ $0.22 per image``."""
    pw, ph = plan.photo_size
    c = plan.content
    if plan.whole_photo:
        what = f"the whole {pw}×{ph} photo"
    else:
        what = f"the region {c.w}×{c.h} at {c.x},{c.y} of the {pw}×{ph} photo"
    if any(plan.padding):
        what += " (padded to the model's shape; the padding is removed again)"
    size = plan.output.label()
    return f"{what} is sent as {size} · {plan.price.label()} per image"


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
