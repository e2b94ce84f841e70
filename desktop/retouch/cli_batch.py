"""``retouch batch``: the same edit over many images, a few at a time, headless.

Exit codes: 0 every image done, 2 bad usage or input (nothing sent), 3 some images failed
(they are listed), 4 every failure was the network, 130 interrupted. No traceback reaches
the user.
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading
from pathlib import Path

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
from retouch.core.batch import (
    FINAL_STATES,
    MAX_CONCURRENCY,
    BatchItem,
    BatchJob,
    BatchRunner,
    batch_exit_code,
    collect_inputs,
    plans_cost,
)
from retouch.core.edit_service import EditService
from retouch.core.schema import DEFAULT_MODEL

log = logging.getLogger(__name__)

BAR_WIDTH = 20


def batch_parser() -> argparse.ArgumentParser:
    p = Parser(
        prog="retouch batch",
        description="Apply one prompt to many images (files or folders), a few at a time. "
        "Results go to one folder as <input-stem>-<n>.<ext>, each with a .json sidecar.",
        epilog="Per-file masks: for photo.jpg, photo.mask.png or photo_mask.png beside it, "
        "or photo.png in the --masks folder. An image without its mask fails unsent.",
    )
    p.add_argument(
        "inputs", nargs="+", metavar="DIR_OR_FILE", help="image files and/or folders of images"
    )
    p.add_argument("--prompt", "-p", required=True, help="what should change in every image")
    p.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=2,
        help=f"how many images are edited at the same time, 1-{MAX_CONCURRENCY} (default 2)",
    )
    masks = p.add_mutually_exclusive_group()
    masks.add_argument("--mask", "-m", type=Path, help="one mask for every image")
    masks.add_argument(
        "--masks", type=Path, metavar="DIR", help="per-file masks: <stem>.png in DIR (or beside)"
    )
    masks.add_argument(
        "--per-file-masks",
        action="store_true",
        help="per-file masks beside each image (<stem>.mask.png or <stem>_mask.png)",
    )
    p.add_argument(
        "--ref",
        action="append",
        default=[],
        type=Path,
        metavar="IMAGE",
        help="a reference image sent with every edit (repeatable)",
    )
    add_model_options(p, "results per image, 1-4")
    add_placement_options(p)
    add_hub_options(p, "how inputs reach the model: data-uri or oxen:NS/REPO")
    p.add_argument("--yes", "-y", action="store_true", help="do not ask before spending money")
    p.add_argument("--json", action="store_true", help="print the outcome as JSON")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress on stderr")
    return p


def progress_bar(counts: dict[str, int], total: int, width: int = BAR_WIDTH) -> str:
    """``[####----] 5/12 done, 1 failed`` — finished items (done or not) fill the bar."""
    finished = sum(counts.get(s, 0) for s in FINAL_STATES)
    filled = round(width * finished / total) if total else width
    text = f"[{'#' * filled}{'-' * (width - filled)}] {counts.get('done', 0)}/{total} done"
    if counts.get("failed"):
        text += f", {counts['failed']} failed"
    if counts.get("cancelled"):
        text += f", {counts['cancelled']} cancelled"
    return text


class _Progress:
    """Redraws the bar in place on a terminal; a line per finished item otherwise."""

    def __init__(self, runner: BatchRunner, quiet: bool) -> None:
        self.runner = runner
        self.quiet = quiet or sys.stderr is None
        self.tty = bool(sys.stderr and sys.stderr.isatty())
        self._lock = threading.Lock()

    def __call__(self, item: BatchItem) -> None:
        if self.quiet or (not self.tty and item.state not in FINAL_STATES):
            return
        line = progress_bar(self.runner.counts(), len(self.runner.items))
        with self._lock:
            if self.tty:
                sys.stderr.write("\r\033[K" + line)
            else:
                sys.stderr.write(line + "\n")
            sys.stderr.flush()

    def close(self) -> None:
        if not self.quiet and self.tty:
            sys.stderr.write("\n")
            sys.stderr.flush()


def run_batch(argv: list[str]) -> int:
    args = batch_parser().parse_args(argv)
    try:
        return _batch(args)
    except E.RetouchError as exc:
        if args.json:
            print(json.dumps({"ok": False, "error": exc.message, "exit_code": exc.exit_code}))
        print(f"retouch: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("retouch: interrupted.", file=sys.stderr)
        return E.EXIT_CANCELLED


def main(argv: list[str] | None = None) -> int:
    return run_batch(list(sys.argv[1:] if argv is None else argv))


def _confirm(text: str, assume_yes: bool) -> None:
    """Ask before spending money; raise InputError (exit 2) when it cannot be asked."""
    if assume_yes:
        return
    if not (sys.stdin and sys.stdin.isatty()):
        raise E.InputError(
            "Not asking for confirmation without a terminal: pass --yes to run the batch."
        )
    sys.stderr.write(f"{text}\nRun it? [y/N] ")
    sys.stderr.flush()
    answer = sys.stdin.readline().strip().lower()
    if answer not in ("y", "yes"):
        raise E.InputError("Nothing was sent.")


def _batch(args: argparse.Namespace) -> int:
    profile = profile_from_args(args)
    placement = placement_from_args(args)
    if not 1 <= args.jobs <= MAX_CONCURRENCY:
        raise E.ValidationError("jobs", f"--jobs must be from 1 to {MAX_CONCURRENCY}.")
    inputs = collect_inputs(args.inputs)
    if not inputs:
        raise E.InputError("No images found in " + ", ".join(args.inputs) + ".")
    profile.require_key()
    model = EditService(profile).find_model(args.model)
    if not model.is_image_edit:
        raise E.InputError(
            f"{model.display_name} ({model.id}) does not edit images; pick an image-to-image "
            f"model such as {DEFAULT_MODEL}."
        )
    mask_rule = "one" if args.mask else "per-file" if args.masks or args.per_file_masks else "none"
    job = BatchJob(
        inputs=inputs,
        prompt=args.prompt,
        model=model,
        out_dir=profile.output_dir,
        params=params_from_args(args) | size_params(args, model),
        references=list(args.ref),
        mask_rule=mask_rule,
        mask=args.mask,
        masks_dir=args.masks,
        concurrency=args.jobs,
        placement=placement,
    )
    job.check()
    # Each image is planned on its own: its size and mask decide its region, size and price.
    plans = job.plans()
    estimate = plans_cost(plans, job.params)
    count = len(inputs)
    summary = (
        f"{count} image{'s' if count != 1 else ''} with {model.display_name}: {estimate.label()}"
    )
    unusable = [(path, p) for path, p in plans if isinstance(p, E.RetouchError)]
    if unusable:
        summary += f"; {len(unusable)} cannot be edited and will fail unsent"
    if not args.quiet:
        for path, plan in plans:
            text = plan.message if isinstance(plan, E.RetouchError) else describe_plan(plan)
            print(f"retouch: {path.name}: {text}", file=sys.stderr)
        print(f"retouch: {summary}", file=sys.stderr)
    _confirm(summary, args.yes)

    history = open_history(profile)  # the batch is recorded there as one batch
    runner = BatchRunner(job, profile=profile, recorder=history)
    progress = _Progress(runner, args.quiet)
    runner.on_item = progress
    previous = signal.getsignal(signal.SIGINT)
    in_main = threading.current_thread() is threading.main_thread()
    if in_main:
        signal.signal(signal.SIGINT, lambda _s, _f: runner.cancel())
    try:
        runner.start()
        # Short waits keep the main thread able to run the SIGINT handler.
        while not runner.wait(0.2):
            pass
    finally:
        if in_main:
            signal.signal(signal.SIGINT, previous)
        progress.close()
        if history is not None:
            history.close()
    items = [it.snapshot() for it in runner.items]
    _report(args, runner, items, estimate.dollars)
    return batch_exit_code(items)


def _report(
    args: argparse.Namespace, runner: BatchRunner, items: list[BatchItem], dollars: float | None
) -> None:
    failed = [it for it in items if it.state == "failed"]
    if args.json:
        print(
            json.dumps(
                {
                    "ok": all(it.state == "done" for it in items),
                    "batch_id": runner.batch_id,
                    "estimated_cost": dollars,
                    "output": args.output,
                    "counts": runner.counts(),
                    "items": [
                        {
                            "input": str(it.input),
                            "mask": str(it.mask) if it.mask else None,
                            "state": it.state,
                            "results": [str(p) for p in it.results],
                            "error": it.error or None,
                        }
                        for it in items
                    ],
                },
                indent=2,
            )
        )
    else:
        for it in items:
            for path in it.results:
                print(path)
    for it in items:
        if it.state == "done" and it.error:
            print(f"retouch: note: {it.name}: {it.error}", file=sys.stderr)
    if failed:
        print(f"retouch: {len(failed)} of {len(items)} images failed:", file=sys.stderr)
        for it in failed:
            print(f"  {it.input}: {it.error}", file=sys.stderr)
    cancelled = sum(it.state == "cancelled" for it in items)
    if cancelled:
        print(
            f"retouch: {cancelled} of {len(items)} images were cancelled; any that had "
            "already reached the hub may still be billed.",
            file=sys.stderr,
        )
