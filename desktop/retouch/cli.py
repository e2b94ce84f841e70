"""``retouch edit``: one edit from the command line, headless.

Exit codes: 0 success, 2 bad usage or input (nothing sent) or a result that could not be
saved, 3 the hub reported an error, 4 network failure, 130 interrupted, 1 an unexpected
internal error. No traceback reaches the user.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

from retouch.core import errors as E
from retouch.core.cancel import CancelToken
from retouch.core.editing import EditRunner, Progress, prepare_edit
from retouch.core.hub_client import DEFAULT_BASE_URL, HubClient, validate_base_url
from retouch.core.paths import cache_dir, default_output_dir, history_dir
from retouch.core.request import EditRequest, InputRef
from retouch.core.schema import (
    DEFAULT_MODEL,
    RESOLUTIONS,
    SchemaCache,
    model_info,
    resolve_model,
)
from retouch.core.secrets import get_api_key
from retouch.core.uploaders import make_uploader, parse_upload_spec

log = logging.getLogger(__name__)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"retouch: {message}", file=sys.stderr)
        raise SystemExit(E.EXIT_USAGE)


def edit_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="retouch edit",
        description="Edit one or more images with a prompt (and optionally a mask).",
    )
    p.add_argument(
        "images",
        nargs="+",
        metavar="IMAGE",
        help="image files or http(s) URLs; the first is edited, the rest are references",
    )
    p.add_argument("--prompt", "-p", required=True, help="what should change")
    p.add_argument("--mask", "-m", type=Path, help="mask image: white = edit, black = keep")
    add_model_options(p, "how many results, 1-4")
    p.add_argument("--out", "-o", type=Path, help="output folder (default: the data folder)")
    p.add_argument(
        "--upload",
        default=None,
        help="how inputs reach the model: data-uri (default) or oxen:NAMESPACE/REPO",
    )
    p.add_argument(
        "--api-base", help=f"hub API base URL (default $RETOUCH_API_BASE or {DEFAULT_BASE_URL})"
    )
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress on stderr")
    return p


def add_model_options(p: argparse.ArgumentParser, num_images_help: str) -> None:
    """The model and its parameters, shared by ``retouch edit`` and ``retouch batch``."""
    p.add_argument("--model", default=DEFAULT_MODEL, help=f"model id (default {DEFAULT_MODEL})")
    p.add_argument("--resolution", "-r", help=f"output size, e.g. {', '.join(RESOLUTIONS)}")
    p.add_argument("--num-images", "-n", help=num_images_help)
    p.add_argument("--format", "-f", dest="output_format", help="png, jpeg or webp")
    p.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="any other model parameter (repeatable)",
    )


def _params(args: argparse.Namespace) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for name in ("resolution", "num_images", "output_format"):
        value = getattr(args, name)
        if value is not None:
            params[name] = value
    for item in args.param:
        if "=" not in item:
            raise E.ValidationError("param", f"--param needs NAME=VALUE (got '{item}').")
        name, value = item.split("=", 1)
        params[name.strip()] = value
    return params


class _StderrProgress:
    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet or not sys.stderr
        self._phase: Progress | None = None
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None
        self._tty = bool(sys.stderr and sys.stderr.isatty())

    def __call__(self, p: Progress) -> None:
        if self.quiet:
            return
        self._phase = p
        if p.phase == "waiting" and self._ticker is None:
            self._ticker = threading.Thread(target=self._tick, daemon=True)
            self._ticker.start()
        self._print(p)

    def _print(self, p: Progress) -> None:
        text = p.message
        if p.phase == "waiting":
            text += f" {time.monotonic() - p.started_at:.0f} s"
        if self._tty:
            sys.stderr.write("\r\033[K" + text)
        elif p.phase != "waiting" or text.endswith(" 0 s"):
            sys.stderr.write(text + "\n")
        sys.stderr.flush()

    def _tick(self) -> None:
        while not self._stop.wait(1.0):
            p = self._phase
            if p is not None and p.phase == "waiting" and self._tty:
                self._print(p)

    def close(self) -> None:
        self._stop.set()
        if not self.quiet and self._tty:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


def run_edit(argv: list[str]) -> int:
    for stream in (sys.stdout, sys.stderr):
        # A path the console cannot encode is printed escaped rather than crashing.
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    args = edit_parser().parse_args(argv)
    progress = _StderrProgress(args.quiet or (args.json and not sys.stderr.isatty()))
    cancel = CancelToken()
    previous = signal.getsignal(signal.SIGINT)

    def on_sigint(_sig: int, _frame: object) -> None:
        cancel.cancel()

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, on_sigint)
    try:
        return _edit(args, progress, cancel)
    except E.RetouchError as exc:
        progress.close()
        _report_error(exc, args.json)
        return exc.exit_code
    except Exception as exc:  # a bug must still not show the user a traceback
        log.exception("unexpected error in retouch edit")
        progress.close()
        _report_error(E.RetouchError(f"Unexpected error ({type(exc).__name__})."), args.json)
        return 1
    finally:
        progress.close()
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGINT, previous)


def _report_error(exc: E.RetouchError, as_json: bool) -> None:
    if as_json:
        print(
            json.dumps(
                {
                    "ok": False,
                    "error": exc.message,
                    "kind": type(exc).__name__,
                    "exit_code": exc.exit_code,
                }
            )
        )
    print(f"retouch: {exc.message}", file=sys.stderr)


def _edit(args: argparse.Namespace, progress: _StderrProgress, cancel: CancelToken) -> int:
    base, upload = resolve_hub(args)
    inputs = [InputRef.parse(x) for x in args.images]
    for ref in inputs:
        if ref.path is not None and not ref.path.exists():
            raise E.InputError(f"'{ref.path}' does not exist.")
    if args.mask is not None and not args.mask.exists():
        raise E.InputError(f"The mask '{args.mask}' does not exist.")
    out_dir = args.out or default_output_dir()
    try:  # before anything is sent (and paid for), make sure results can be saved
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise E.InputError(
            f"The output folder '{out_dir}' cannot be used: {exc.strerror or exc}."
        ) from None
    key, _source = get_api_key()
    if not key:
        raise E.MissingKeyError(
            "No API key. Set OXEN_API_KEY, or save a key in the app's Settings (it is kept "
            "in your system keyring). Get a key from your Oxen account settings."
        )
    cache = SchemaCache(cache_dir())
    with HubClient(base, key, cancel=cancel) as client:
        try:
            model = resolve_model(args.model, cache)
        except E.ValidationError:
            # Neither built in nor cached: ask the hub (its errors are typed: 404, 401, …).
            raw = client.get_model(args.model)
            cache.save(raw)
            model = model_info(raw, "hub")
        request = EditRequest(args.prompt, inputs, model.id, _params(args), mask_path=args.mask)
        prepared = prepare_edit(
            request,
            model,
            progress=progress,
            fetch_url=lambda url: client.download(url),
            cancel_check=cancel.raise_if_cancelled,
        )
        for note in prepared.notes:
            print(f"retouch: note: {note}", file=sys.stderr)
        uploader = make_uploader(upload, client, cache_dir())
        recorder = open_history()
        try:
            runner = EditRunner(client, out_dir, uploader=uploader, recorder=recorder)
            outcome = runner.run(prepared, progress=progress)
        finally:
            if recorder is not None:
                recorder.close()
    progress.close()
    for note in outcome.notes[len(prepared.notes) :]:
        print(f"retouch: note: {note}", file=sys.stderr)
    if args.json:
        print(
            json.dumps(
                {
                    "ok": not outcome.errors,
                    "run_id": outcome.run_id,
                    "asked": outcome.asked,
                    "results": [
                        {
                            "path": str(r.path),
                            "sidecar": str(r.sidecar),
                            "revised_prompt": r.revised_prompt,
                        }
                        for r in outcome.results
                    ],
                    "errors": [e.message for e in outcome.errors],
                },
                indent=2,
            )
        )
    else:
        for r in outcome.results:
            print(r.path)
    for err in outcome.errors:
        print(
            f"retouch: {len(outcome.results)} of {outcome.asked} results saved; {err.message}",
            file=sys.stderr,
        )
    return outcome.errors[0].exit_code if outcome.errors else E.EXIT_OK


def resolve_hub(args: argparse.Namespace) -> tuple[str, str]:
    """The hub's base URL and the upload method, checked before anything is sent."""
    base = validate_base_url(
        args.api_base or os.environ.get("RETOUCH_API_BASE") or DEFAULT_BASE_URL
    )
    upload = args.upload or os.environ.get("RETOUCH_UPLOAD") or "data-uri"
    parse_upload_spec(upload)  # a bad spec is a usage error, not a failed upload later
    return base, upload


def open_history() -> Any:
    """The app's history store, so CLI runs are kept and found in the window too."""
    from retouch.core.history import HistoryError, HistoryStore

    try:
        return HistoryStore(history_dir())
    except (HistoryError, OSError) as exc:
        print(f"retouch: note: this run is not recorded in history ({exc})", file=sys.stderr)
        return None
