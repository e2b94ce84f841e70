"""``retouch edit``: one edit from the command line, headless; ``retouch resume``: collect
what an edit killed mid-run left on the hub's queue.

Exit codes: 0 success, 2 bad usage or input (nothing sent: an output folder that cannot be
written to is found before sending), 3 the hub reported an error, 4 network failure, 5 the
edit was done but a result could not be written to the output folder — it is kept in
Retouch's history (or, when even that failed, in a new folder of the system's temp folder),
and stderr says where — 130 interrupted, 1 an unexpected internal error. No traceback
reaches the user.

When the hub offers the async queue (``GET /ai/queue`` answers) and the ``use_queue``
setting is on, ``retouch edit`` sends through it (``--no-queue`` sends the blocking edit):
its generation ids are in history the moment they exist, so a killed ``retouch edit`` is
collected — without sending it again — by ``retouch resume`` or by the next ``retouch
edit``, which says so on stderr.
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from retouch.cli_common import (
    Parser,
    add_hub_options,
    add_model_options,
    add_placement_options,
    describe_plan,
    open_history,
    params_from_args,
    placement_from_args,
    profile_from_args,
    size_params,
)
from retouch.core import errors as E
from retouch.core.cancel import CancelToken
from retouch.core.edit_service import EditService, RunOptions
from retouch.core.editing import PreparedEdit, Progress
from retouch.core.placement import PlacementStep
from retouch.core.request import EditRequest, InputRef

if TYPE_CHECKING:
    from retouch.core.edit_service import EditStep
    from retouch.core.history import HistoryStore, RunRecord
    from retouch.core.profile import HubProfile
    from retouch.core.results import SavedResult

log = logging.getLogger(__name__)


def edit_parser() -> argparse.ArgumentParser:
    p = Parser(
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
    add_placement_options(p)
    add_hub_options(p, "how inputs reach the model: data-uri (default) or oxen:NAMESPACE/REPO")
    p.add_argument(
        "--no-queue",
        dest="queue",
        action="store_false",
        default=None,
        help="send the blocking edit even when the hub offers the async queue",
    )
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress on stderr")
    return p


def resume_parser() -> argparse.ArgumentParser:
    p = Parser(
        prog="retouch resume",
        description=(
            "Collect the results of edits a killed `retouch edit` (or a closed window) left "
            "on the hub's queue. Nothing is sent again."
        ),
    )
    add_hub_options(p, "(unused: nothing is uploaded when collecting)")
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress on stderr")
    return p


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
    return _run_command(edit_parser().parse_args(argv), _edit)


def run_resume(argv: list[str]) -> int:
    return _run_command(resume_parser().parse_args(argv), _resume)


def _run_command(
    args: argparse.Namespace,
    command: Callable[[argparse.Namespace, _StderrProgress, CancelToken], int],
) -> int:
    for stream in (sys.stdout, sys.stderr):
        # A path the console cannot encode is printed escaped rather than crashing.
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    progress = _StderrProgress(args.quiet or (args.json and not sys.stderr.isatty()))
    cancel = CancelToken()
    previous = signal.getsignal(signal.SIGINT)

    def on_sigint(_sig: int, _frame: object) -> None:
        cancel.cancel()

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, on_sigint)
    try:
        return command(args, progress, cancel)
    except E.RetouchError as exc:
        progress.close()
        _report_error(exc, args.json)
        return exc.exit_code
    except Exception as exc:  # a bug must still not show the user a traceback
        log.exception("unexpected error in %s", command.__name__.strip("_"))
        progress.close()
        _report_error(E.RetouchError(_unexpected(exc)), args.json)
        return 1
    finally:
        progress.close()
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGINT, previous)


def _unexpected(exc: BaseException) -> str:
    from retouch.core.logs import log_file

    where = log_file()
    details = f"; details are in {where}" if where is not None else ""
    return f"Unexpected error ({type(exc).__name__}){details}."


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


def _queue_offered(profile: HubProfile, cancel: CancelToken) -> bool:
    """Does the hub answer ``GET /ai/queue``? (As the window probes it.)"""
    try:
        with profile.client(cancel=cancel, read_timeout=30) as client:
            client.queue_list()
    except E.CancelledError:
        raise
    except E.RetouchError as exc:
        log.info("the hub's queue is not used: %s", exc.message)
        return False
    return True


def _collect_earlier(
    service: EditService,
    recorder: HistoryStore,
    progress: _StderrProgress,
    cancel: CancelToken,
) -> tuple[list[SavedResult], list[E.RetouchError], int]:
    """Collect every queued run an earlier ``retouch edit`` (or window) left on the hub.

    Returns the results collected, the errors met and how many runs were tried. A run
    another process is collecting right now is skipped."""
    from retouch.core.edit_service import AlreadyCollectingError

    # Ctrl+C stops the collecting but leaves the generations on the hub (they are paid for;
    # the next `retouch resume` collects them), unlike a new edit's, which are deleted.
    keep = CancelToken()
    cancel.on_cancel(lambda: keep.cancel(keep_remote=True))
    cancel = keep
    recorder.recover()  # runs whose process is gone become collectable
    pending = [r for r in recorder.pending_queue_runs() if r.collectable]
    collected: list[SavedResult] = []
    errors: list[E.RetouchError] = []
    for record in pending:
        try:
            outcome = service.resume(
                record, cancel=cancel, progress=progress, steps=_placed_back(service, record)
            )
        except AlreadyCollectingError:
            continue
        except E.CancelledError:
            raise
        except E.RetouchError as exc:
            errors.append(exc)
            continue
        collected.extend(outcome.results)
        errors.extend(outcome.errors)
    return collected, errors, len(pending)


def _placed_back(service: EditService, record: RunRecord) -> list[EditStep]:
    """The step that places a resumed run's results back into its photo, as when it was
    sent (rebuilt from its record); none when it was not placed or cannot be rebuilt."""
    from retouch.core.placement import resume_step

    try:
        model = service.find_model(record.model)
    except E.RetouchError:
        return []
    step = resume_step(record, model)
    return [step] if step is not None else []


def _resume(args: argparse.Namespace, progress: _StderrProgress, cancel: CancelToken) -> int:
    profile = profile_from_args(args)
    profile.ensure_output_dir()
    profile.require_key()
    recorder = open_history(profile)
    if recorder is None:
        raise E.InputError("There is no usable history, so there is nothing to collect.")
    try:
        collected, errors, tried = _collect_earlier(
            EditService(profile, recorder=recorder), recorder, progress, cancel
        )
    finally:
        recorder.close()
    progress.close()
    collected = _rescue(collected)
    if args.json:
        print(
            json.dumps(
                {
                    "ok": not errors,
                    "runs": tried,
                    "results": [_result_json(r) for r in collected],
                    "errors": [e.message for e in errors],
                },
                indent=2,
            )
        )
    else:
        for r in collected:
            print(r.path)
    if not tried:
        print("retouch: nothing to collect: no edit is waiting on the hub.", file=sys.stderr)
    for err in errors:
        print(f"retouch: {err.message}", file=sys.stderr)
    lost = [e.exit_code for e in errors if not isinstance(e, E.ResultNotSavedError)]
    return lost[0] if lost else E.EXIT_NOT_SAVED if errors else E.EXIT_OK


def _result_json(r: SavedResult) -> dict[str, object]:
    return {
        "path": str(r.path),
        "sidecar": str(r.sidecar),
        "revised_prompt": r.revised_prompt,
        "in_output_folder": r.in_output_folder,
        "not_saved_because": r.unsaved or None,
    }


def _edit(args: argparse.Namespace, progress: _StderrProgress, cancel: CancelToken) -> int:
    profile = profile_from_args(args)
    placement = placement_from_args(args)
    inputs = [InputRef.parse(x) for x in args.images]
    for ref in inputs:
        if ref.path is not None and not ref.path.exists():
            raise E.InputError(f"'{ref.path}' does not exist.")
    if args.mask is not None and not args.mask.exists():
        raise E.InputError(f"The mask '{args.mask}' does not exist.")
    profile.ensure_output_dir()  # before anything is sent (and paid for)
    profile.require_key()
    recorder = open_history(profile)
    prepared_notes: list[str] = []
    step = PlacementStep(placement)

    def on_prepared(prepared: PreparedEdit) -> None:
        # Before anything is sent: what goes, at what size and price.
        if step.plan is not None and not progress.quiet:
            print(f"retouch: {describe_plan(step.plan)}", file=sys.stderr)
        prepared_notes.extend(prepared.notes)
        for note in prepared.notes:
            print(f"retouch: note: {note}", file=sys.stderr)

    earlier: list[SavedResult] = []
    try:
        service = EditService(profile, recorder=recorder)
        model = service.find_model(args.model, cancel=cancel)
        params = params_from_args(args) | size_params(args, model)
        request = EditRequest(args.prompt, inputs, model, params, mask_path=args.mask)
        use_queue = (
            (profile.use_queue if args.queue is None else args.queue)
            and recorder is not None  # the queue's durability is its record in history
            and _queue_offered(profile, cancel)
        )
        if use_queue and recorder is not None:
            # What a killed `retouch edit` left on the hub is collected first.
            earlier, earlier_errors, tried = _collect_earlier(service, recorder, progress, cancel)
            if tried:
                progress.close()
                print(
                    f"retouch: note: collected {len(earlier)} result"
                    f"{'s' if len(earlier) != 1 else ''} of {tried} earlier edit"
                    f"{'s' if tried != 1 else ''} left on the hub"
                    + "".join(f"\nretouch: note: collected {r.path}" for r in earlier),
                    file=sys.stderr,
                )
                for err in earlier_errors:
                    print(f"retouch: note: an earlier edit: {err.message}", file=sys.stderr)
        outcome = service.run(
            request,
            cancel=cancel,
            progress=progress,
            on_prepared=on_prepared,
            options=RunOptions(use_queue=use_queue, steps=[step]),
        )
    finally:
        if recorder is not None:
            recorder.close()
    progress.close()
    for note in outcome.notes[len(prepared_notes) :]:
        print(f"retouch: note: {note}", file=sys.stderr)
    results = _rescue(outcome.results)
    if args.json:
        print(
            json.dumps(
                {
                    "ok": not outcome.errors,
                    "run_id": outcome.run_id,
                    "asked": outcome.asked,
                    "plan": (
                        {**step.plan.to_dict(), "label": step.plan.label()}
                        if step.plan is not None
                        else None
                    ),
                    "output": placement.output,
                    "results": [_result_json(r) for r in results],
                    "errors": [e.message for e in outcome.errors],
                    "collected_earlier": [_result_json(r) for r in earlier],
                },
                indent=2,
            )
        )
    else:
        for r in results:
            print(r.path)
    return _report_outcome(outcome.errors, results, outcome.asked)


def _report_outcome(errors: list[E.RetouchError], results: list[SavedResult], asked: int) -> int:
    """Say what went wrong, and choose the exit code: a result the hub did not deliver (3, 4)
    comes before one that is kept but not in the output folder (5, EXIT_NOT_SAVED)."""
    saved = sum(1 for r in results if r.in_output_folder)
    for err in errors:
        if isinstance(err, E.ResultNotSavedError):
            print(f"retouch: {err.message}", file=sys.stderr)
        else:
            print(f"retouch: {saved} of {asked} results saved; {err.message}", file=sys.stderr)
    for r in results:
        if r.unsaved and r.data is None and r.path.parent.name.startswith(RESCUE_PREFIX):
            print(
                f"retouch: result {r.index + 1} was written to {r.path} instead.", file=sys.stderr
            )
    lost = [e.exit_code for e in errors if not isinstance(e, E.ResultNotSavedError)]
    if lost:
        return lost[0]
    return E.EXIT_NOT_SAVED if errors else E.EXIT_OK


#: Where a result neither the output folder nor the history could take is written, last.
RESCUE_PREFIX = "retouch-unsaved-"


def _rescue(results: list[SavedResult]) -> list[SavedResult]:
    """A result held only in memory (the output folder and the history both failed) would
    die with this process: write it to a new folder in the system's temp folder instead."""
    import dataclasses
    import tempfile

    from retouch.core.atomic import atomic_create_bytes

    rescued = []
    folder: Path | None = None
    for r in results:
        if r.data is not None:
            try:
                folder = folder or Path(tempfile.mkdtemp(prefix=RESCUE_PREFIX))
                path = atomic_create_bytes(folder / r.path.name, r.data)
                r = dataclasses.replace(r, path=path, data=None)
            except OSError as exc:
                log.error("result %d could not be rescued: %s", r.index + 1, exc)
                print(
                    f"retouch: result {r.index + 1} could not be written anywhere "
                    f"({exc.strerror or exc}); it is lost.",
                    file=sys.stderr,
                )
        rescued.append(r)
    return rescued
