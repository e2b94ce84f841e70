"""Batch edits: one prompt, model and parameters over many images, a few at a time.

Plain Python (threads, no Qt): the CLI drives it directly and the batch panel relays its
callbacks to the UI thread. Each item is an ordinary edit run by the one ``EditService``, with
its own ``HubClient`` and cancel token, so Cancel can shut down exactly the sockets that are in
flight.

**Masks** (``BatchJob.mask_rule``):

- ``"none"``: every image is edited as a whole.
- ``"one"``: ``BatchJob.mask`` is used for every image (rescaled to each image's size).
- ``"per-file"``: each image ``<stem>.<ext>`` takes the first of these that exists:
  ``<stem>.mask.png`` or ``<stem>_mask.png`` beside the image, then ``<masks_dir>/<stem>.png``
  (any image extension is accepted in place of ``.png``; PNG is looked for first). An image
  without a mask **fails before anything is sent** rather than being edited as a whole: a
  missing mask is almost always a mistake, and an unmasked edit costs the same money.
  Files named like a mask of another input (``photo.mask.png`` beside ``photo.jpg``) are
  never treated as inputs themselves.

**Placement** (``BatchJob.placement``, issue 12): each image is planned on its own (its own
size, its own mask → its own region and output size), the region is sent and every result
is placed back into that image at full resolution, as ``retouch edit`` does. ``None`` sends
each image whole and saves the model's pictures as they come.

**Results** all land in ``BatchJob.out_dir`` as ``<input-stem>-<n>.<ext>`` (n = 1 for the
first result of that input) with a ``.json`` sidecar beside each. Inputs sharing a stem get
``-2``, ``-3`` … appended in input order, and an existing file is never overwritten
(``_2``, ``_3`` … are added instead).

An edit costs money: a failed item is never retried automatically; ``retry()`` runs it again
when the user asks.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from retouch.core import errors as E
from retouch.core.cancel import CancelToken
from retouch.core.edit_service import EditService, RunOptions
from retouch.core.editing import Progress, RunRecorder
from retouch.core.hub_client import READ_TIMEOUT
from retouch.core.placement import PlacementOptions, PlacementStep, split_size_params
from retouch.core.pricing import CostEstimate, estimate_cost
from retouch.core.profile import HubProfile
from retouch.core.request import EditRequest, InputRef
from retouch.core.results import SavedResult, result_format, safe_stem, save_result_as
from retouch.core.schema import ModelInfo
from retouch.core.validation import validate_params, validate_prompt

if TYPE_CHECKING:
    from retouch.core.region import EditPlan

log = logging.getLogger(__name__)

MASK_RULES = ("none", "one", "per-file")
STATES = ("waiting", "sending", "waiting_model", "done", "failed", "cancelled")
FINAL_STATES = frozenset({"done", "failed", "cancelled"})
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp", ".tif", ".tiff")
MASK_MARKERS = (".mask", "_mask")
MAX_CONCURRENCY = 8


# -- inputs and masks ----------------------------------------------------------------------


def is_image_file(path: Path) -> bool:
    return path.suffix.lower() in IMAGE_SUFFIXES and not path.name.startswith(".")


def mask_base_stem(path: Path) -> str | None:
    """'photo' for 'photo.mask.png' or 'photo_mask.png'; None if the name is not a mask's."""
    stem = path.stem
    for marker in MASK_MARKERS:
        if stem.lower().endswith(marker) and len(stem) > len(marker):
            return stem[: -len(marker)]
    return None


def find_mask(image: Path, masks_dir: Path | None = None) -> Path | None:
    """The mask for *image* under the per-file rule (see the module docstring), or None."""
    image = Path(image)
    suffixes = IMAGE_SUFFIXES  # PNG first: masks should be lossless
    for marker in MASK_MARKERS:
        for suffix in suffixes:
            candidate = image.with_name(f"{image.stem}{marker}{suffix}")
            if candidate.is_file():
                return candidate
    if masks_dir is not None:
        for suffix in suffixes:
            candidate = Path(masks_dir) / f"{image.stem}{suffix}"
            if candidate.is_file():
                return candidate
    return None


def collect_inputs(paths: Iterable[str | Path]) -> list[Path]:
    """Image files from files and folders (not recursive), in a stable order, no duplicates.

    A folder contributes its image files sorted by name. A file named like the mask of
    another input in the same folder is left out (it is that input's mask, not an image to
    edit). Raises InputError for a path that does not exist or a file that is not an image.
    """
    found: list[Path] = []
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            found += sorted(
                (p for p in path.iterdir() if p.is_file() and is_image_file(p)),
                key=lambda p: p.name.lower(),
            )
        elif path.is_file():
            if path.suffix.lower() not in IMAGE_SUFFIXES:
                raise E.InputError(f"'{path}' is not an image file ({', '.join(IMAGE_SUFFIXES)}).")
            found.append(path)
        else:
            raise E.InputError(f"'{path}' does not exist.")
    seen: set[Path] = set()
    unique: list[Path] = []
    for p in found:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(p)
    stems = {(p.resolve().parent, p.stem) for p in unique}
    return [
        p
        for p in unique
        if (base := mask_base_stem(p)) is None or (p.resolve().parent, base) not in stems
    ]


# -- the job and its items -------------------------------------------------------------------


@dataclass
class BatchItem:
    """One input image of a batch and what happened to it."""

    index: int
    input: Path
    mask: Path | None = None
    state: str = "waiting"
    error: str = ""  # why it failed (or what went partly wrong when done)
    results: list[Path] = field(default_factory=list)
    out_stem: str = ""
    exit_code: int = 0  # of the failure, as the CLI reports it (3 hub, 4 network, 2 input)
    attempts: int = 0

    @property
    def name(self) -> str:
        return self.input.name

    @property
    def final(self) -> bool:
        return self.state in FINAL_STATES

    def snapshot(self) -> BatchItem:
        return replace(self, results=list(self.results))


@dataclass
class BatchJob:
    """What the user asked for: the same edit applied to each input."""

    inputs: list[Path]
    prompt: str
    model: ModelInfo
    out_dir: Path
    params: dict[str, Any] = field(default_factory=dict)
    references: list[Path] = field(default_factory=list)
    mask_rule: str = "none"
    mask: Path | None = None  # for "one"
    masks_dir: Path | None = None  # for "per-file", besides the files next to each image
    concurrency: int = 2
    #: How each image's region is chosen and results placed back; None: whole, as sent.
    placement: PlacementOptions | None = field(default_factory=PlacementOptions)

    def __post_init__(self) -> None:
        if self.mask_rule not in MASK_RULES:
            raise E.ValidationError(
                "mask", f"The mask rule must be one of {', '.join(MASK_RULES)}.", MASK_RULES
            )
        self.inputs = [Path(p) for p in self.inputs]
        self.references = [Path(p) for p in self.references]
        self.out_dir = Path(self.out_dir)
        self.concurrency = max(1, min(MAX_CONCURRENCY, int(self.concurrency)))

    def check(self) -> dict[str, Any]:
        """Everything that can be checked locally; returns the validated parameters.

        Raises InputError / ValidationError; nothing is sent.
        """
        validate_prompt(self.prompt)
        params = self._validated()
        if not self.inputs:
            raise E.InputError("There are no images to edit: add files or a folder.")
        if len(self.references) > 15:
            raise E.ValidationError("input_image", "Use at most 15 reference images.")
        for ref in self.references:
            if not ref.is_file():
                raise E.InputError(f"The reference image '{ref}' does not exist.")
        if self.mask_rule == "one":
            if self.mask is None:
                raise E.InputError("The mask rule 'one mask for all' needs a mask file.")
            if not self.mask.is_file():
                raise E.InputError(f"The mask '{self.mask}' does not exist.")
        if self.masks_dir is not None and not self.masks_dir.is_dir():
            raise E.InputError(f"The masks folder '{self.masks_dir}' does not exist.")
        return params

    def _validated(self) -> dict[str, Any]:
        if self.placement is None:
            return validate_params(self.model, self.params)
        # Resolution and aspect may be Auto: each image's plan chooses them.
        from retouch.core.sizes import size_vocabulary

        rest, resolution, aspect = split_size_params(self.model, self.params)
        size_vocabulary(self.model).candidates(resolution, aspect)
        return validate_params(self.model, rest)

    def plans(self) -> list[tuple[Path, EditPlan | E.RetouchError]]:
        """Each image's plan (its region, output size and price), or why it cannot be
        edited; reads each image's size and mask, so call it off the UI thread."""
        from retouch.core.placement import plan_request, read_mask_file

        out: list[tuple[Path, EditPlan | E.RetouchError]] = []
        for path in self.inputs:
            try:
                size = image_size(path)
                mask_path = self.mask_for(path)
                if self.mask_rule == "per-file" and mask_path is None:
                    raise E.InputError(f"No mask found for '{path.name}'.")
                mask = read_mask_file(mask_path) if mask_path is not None else None
                out.append(
                    (path, plan_request(size, mask, self.model, self.params, self.placement))
                )
            except E.RetouchError as exc:
                out.append((path, exc))
        return out

    def mask_for(self, image: Path) -> Path | None:
        if self.mask_rule == "one":
            return self.mask
        if self.mask_rule == "per-file":
            return find_mask(image, self.masks_dir)
        return None

    def make_items(self) -> list[BatchItem]:
        items: list[BatchItem] = []
        used: set[str] = set()
        for i, path in enumerate(self.inputs):
            # Unique per batch and in input order, so names do not depend on thread timing.
            base = safe_stem(path.name)
            stem, n = base, 1
            while stem.lower() in used:
                n += 1
                stem = f"{base}-{n}"
            used.add(stem.lower())
            items.append(BatchItem(i, path, self.mask_for(path), out_stem=stem))
        return items

    def estimate(self) -> CostEstimate:
        """Quick: the model's price for the parameters as given (Auto sizes at the standard
        price); ``plans()`` prices each image exactly."""
        try:
            params = self._validated()
        except E.ValidationError:
            params = dict(self.params)
        return estimate_cost(self.model, params, runs=len(self.inputs))


def plans_cost(
    plans: Sequence[tuple[Path, EditPlan | E.RetouchError]], params: dict[str, Any]
) -> CostEstimate:
    """What the images that can be edited cost, from their plans."""
    from retouch.core.schema import image_count

    per_run = image_count(params)
    planned = [p for _, p in plans if not isinstance(p, E.RetouchError)]
    tiers = {p.price.tier for p in planned}
    prices = [p.price.dollars for p in planned]
    dollars = (
        round(sum(d for d in prices if d is not None) * per_run, 4)
        if prices and all(d is not None for d in prices)
        else None
    )
    tier = tiers.pop() if len(tiers) == 1 else ("mixed" if tiers else None)
    return CostEstimate(per_run * len(planned), tier, dollars)


def image_size(path: Path) -> tuple[int, int]:
    """An image file's upright size, from its header (InputError when it is no image)."""
    import io
    import warnings

    from PIL import Image

    from retouch.core.images import read_file

    data = read_file(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(io.BytesIO(data)) as img:
                w, h = img.size
                turned = img.getexif().get(0x0112, 1) in (5, 6, 7, 8)
    except Exception:  # noqa: BLE001 - every decoder failure gets one plain message
        raise E.InputError(f"'{path.name}' is not an image Retouch can read.") from None
    return (h, w) if turned else (w, h)


# -- running one item --------------------------------------------------------------------------


class _BatchRecorder:
    """Passes the history store's calls through, tagging every run with the batch id."""

    def __init__(self, recorder: RunRecorder, batch_id: str) -> None:
        self._recorder = recorder
        self.batch_id = batch_id

    def begin_run(self, **kwargs: Any) -> str:
        return self._recorder.begin_run(**kwargs, batch_id=self.batch_id)

    def add_output(
        self,
        run_id: str,
        index: int,
        data: bytes,
        ext: str,
        revised_prompt: str | None = None,
        **extra: Any,
    ) -> Path:
        return self._recorder.add_output(run_id, index, data, ext, revised_prompt, **extra)

    def set_generation_ids(self, run_id: str, ids: Sequence[str]) -> None:
        self._recorder.set_generation_ids(run_id, ids)

    def finish_run(self, run_id: str, status: str, error: str | None = None) -> None:
        self._recorder.finish_run(run_id, status, error)

    def claim(self, run_id: str) -> None:
        self._recorder.claim(run_id)


class _ItemWriter:
    """Saves an item's results under the batch's predictable names.

    Only the naming differs from a single edit (which names results by time and run id:
    right for one-off edits, useless for matching a batch's outputs to its inputs).
    """

    def __init__(self, folder: Path, stem: str, extra_meta: dict[str, Any]) -> None:
        self._folder = folder
        self._stem = stem
        self._extra_meta = extra_meta

    def __call__(
        self,
        data: bytes,
        *,
        stem: str,
        run_id: str,
        index: int,
        meta: dict[str, Any],
        revised: str | None,
    ) -> SavedResult:
        fmt, ext = result_format(data, index)
        # Taken atomically: another batch or edit saving into this folder cannot take it too.
        return save_result_as(
            self._folder,
            f"{self._stem}-{index + 1}",
            ext,
            data,
            fmt=fmt,
            index=index,
            meta=meta | self._extra_meta,
            revised_prompt=revised,
        )


# -- the runner ---------------------------------------------------------------------------------

ItemCallback = Callable[[BatchItem], None]


class BatchRunner:
    """Runs a BatchJob's items on up to ``job.concurrency`` threads.

    Callbacks run on the worker threads (``on_item`` gets a snapshot of the item after each
    state change; ``on_finished`` when no worker is left) — a UI must marshal them itself.

    The hub comes from *profile*; callers without one may give ``base_url``, ``api_key``,
    ``upload`` and ``cache_dir`` instead (they become a fixed profile).
    """

    def __init__(
        self,
        job: BatchJob,
        *,
        profile: HubProfile | None = None,
        base_url: str | None = None,
        api_key: str | None = None,
        upload: str = "data-uri",
        cache_dir: Path | None = None,
        recorder: RunRecorder | None = None,
        read_timeout: float = READ_TIMEOUT,
        on_item: ItemCallback | None = None,
        on_finished: Callable[[], None] | None = None,
    ) -> None:
        if profile is None:
            if base_url is None:
                raise TypeError("BatchRunner needs a profile or a base_url")
            profile = HubProfile.fixed(
                base_url, api_key, upload=upload, output_dir=job.out_dir, cache_dir=cache_dir
            )
        self.job = job
        self.profile = profile
        self.batch_id = uuid.uuid4().hex
        self.recorder = _BatchRecorder(recorder, self.batch_id) if recorder is not None else None
        self.service = EditService(profile, recorder=self.recorder, read_timeout=read_timeout)
        self.on_item = on_item
        self.on_finished = on_finished
        self.items = job.make_items()
        self._cond = threading.Condition()
        self._queue: deque[BatchItem] = deque()
        self._tokens: dict[int, CancelToken] = {}
        self._workers = 0
        self._paused = False
        self._cancelled = False
        self._started = False
        self._idle = threading.Event()
        self._idle.set()

    # -- state -------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return not self._idle.is_set()

    @property
    def paused(self) -> bool:
        return self._paused

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    @property
    def active(self) -> int:
        """Items being worked on right now."""
        with self._cond:
            return len(self._tokens)

    def estimate(self) -> CostEstimate:
        return self.job.estimate()

    def counts(self) -> dict[str, int]:
        with self._cond:
            out = dict.fromkeys(STATES, 0)
            for item in self.items:
                out[item.state] += 1
            return out

    def failed_items(self) -> list[BatchItem]:
        with self._cond:
            return [it.snapshot() for it in self.items if it.state == "failed"]

    # -- control -----------------------------------------------------------------------------

    def start(self) -> None:
        """Start the batch (once). Check the job first: ``job.check()`` raises on bad input."""
        with self._cond:
            if self._started:
                raise RuntimeError("this batch was already started")
            self._started = True
            self._queue.extend(self.items)
            self._spawn(min(self.job.concurrency, len(self._queue)))
        if not self.items:
            self._notify_finished()

    def pause(self) -> None:
        """No new item starts until resume(); those in flight carry on."""
        with self._cond:
            self._paused = True

    def resume(self) -> None:
        with self._cond:
            self._paused = False
            self._cond.notify_all()

    def cancel(self) -> None:
        """Items not started are cancelled; those in flight are aborted (sockets shut)."""
        with self._cond:
            self._cancelled = True
            dropped = list(self._queue)
            self._queue.clear()
            for item in dropped:
                item.state = "cancelled"
                item.error = ""
            tokens = list(self._tokens.values())
            snapshots = [it.snapshot() for it in dropped]
            self._cond.notify_all()
        for token in tokens:
            token.cancel()
        for snap in snapshots:
            self._emit(snap)

    def retry(self, item: BatchItem | int) -> bool:
        """Run one failed (or cancelled) item again, by itself. False if it cannot be now."""
        index = item if isinstance(item, int) else item.index
        with self._cond:
            if not 0 <= index < len(self.items):
                return False
            target = self.items[index]
            if target.state not in ("failed", "cancelled"):
                return False
            if self._cancelled:
                if self._workers:
                    return False  # still cancelling: let that settle first
                self._cancelled = False
            target.state = "waiting"
            target.error = ""
            target.exit_code = 0
            self._queue.append(target)
            snap = target.snapshot()
            if self._workers == 0:
                self._spawn(1)
            else:
                self._cond.notify_all()
        self._emit(snap)
        return True

    def wait(self, timeout: float | None = None) -> bool:
        """Block until no worker is left; True if that happened within *timeout*."""
        return self._idle.wait(timeout)

    def run(self) -> list[BatchItem]:
        """Start and wait: for scripts and tests."""
        self.start()
        self.wait()
        return [it.snapshot() for it in self.items]

    # -- workers -----------------------------------------------------------------------------

    def _spawn(self, count: int) -> None:
        # Called with the lock held.
        if count <= 0:
            return
        self._idle.clear()
        for _ in range(count):
            self._workers += 1
            threading.Thread(
                target=self._work, name=f"batch-{self.batch_id[:6]}", daemon=True
            ).start()

    def _work(self) -> None:
        while True:
            with self._cond:
                while self._paused and not self._cancelled and self._queue:
                    self._cond.wait()
                if self._cancelled or not self._queue:
                    self._workers -= 1
                    last = self._workers == 0
                    break
                item = self._queue.popleft()
                token = CancelToken()
                self._tokens[item.index] = token
                item.state = "sending"
                item.attempts += 1
                snap = item.snapshot()
            self._emit(snap)
            try:
                self._run_item(item, token)
            finally:
                with self._cond:
                    self._tokens.pop(item.index, None)
        if last:
            self._notify_finished()

    def _notify_finished(self) -> None:
        self._idle.set()
        if self.on_finished is not None:
            try:
                self.on_finished()
            except Exception:
                log.exception("batch on_finished callback failed")

    def _emit(self, snap: BatchItem) -> None:
        if self.on_item is not None:
            try:
                self.on_item(snap)
            except Exception:
                log.exception("batch on_item callback failed")

    def _update(self, item: BatchItem, **changes: Any) -> None:
        with self._cond:
            if item.state == changes.get("state") and len(changes) == 1:
                return
            for name, value in changes.items():
                setattr(item, name, value)
            snap = item.snapshot()
        self._emit(snap)

    def _run_item(self, item: BatchItem, token: CancelToken) -> None:
        job = self.job

        def progress(p: Progress) -> None:
            if p.phase == "waiting":
                self._update(item, state="waiting_model")

        try:
            if job.mask_rule == "per-file" and item.mask is None:
                # Re-check: the user may have added the mask since the batch was set up.
                item.mask = find_mask(item.input, job.masks_dir)
                if item.mask is None:
                    raise E.InputError(
                        f"No mask found for '{item.name}' (looked for {item.input.stem}.mask.png"
                        f", {item.input.stem}_mask.png"
                        + (f" and {job.masks_dir}/{item.input.stem}.png" if job.masks_dir else "")
                        + "). Nothing was sent."
                    )
            request = EditRequest(
                job.prompt,
                [InputRef(path=item.input, name=item.name)]
                + [InputRef(path=p, name=p.name) for p in job.references],
                job.model,
                dict(job.params),
                mask_path=item.mask,
            )
            writer = _ItemWriter(
                job.out_dir,
                item.out_stem,
                {"batch_id": self.batch_id, "batch_item": item.index},
            )
            steps = [PlacementStep(job.placement)] if job.placement is not None else []
            outcome = self.service.run(
                request,
                cancel=token,
                progress=progress,
                options=RunOptions(writer=writer, out_dir=job.out_dir, steps=steps),
            )
        except E.CancelledError:
            self._update(item, state="cancelled", error="")
        except E.RetouchError as exc:
            if token.cancelled:
                self._update(item, state="cancelled", error="")
            else:
                self._update(item, state="failed", error=exc.message, exit_code=exc.exit_code)
        except Exception as exc:
            log.exception("unexpected error in batch item %s", item.name)
            self._update(
                item,
                state="failed",
                error=f"Something unexpected went wrong ({type(exc).__name__}); see the log.",
                exit_code=E.EXIT_HUB,
            )
        else:
            note = ""
            if outcome.errors:
                note = (
                    f"{len(outcome.results)} of {outcome.asked} results saved; "
                    f"{outcome.errors[0].message}"
                )
            self._update(
                item,
                state="done",
                error=note,
                results=[r.path for r in outcome.results],
            )


def batch_exit_code(items: Sequence[BatchItem]) -> int:
    """0 all done; 4 when every failure was the network; 3 other failures; 130 cancelled."""
    failed = [it for it in items if it.state == "failed"]
    if failed:
        if all(it.exit_code == E.EXIT_NETWORK for it in failed):
            return E.EXIT_NETWORK
        return E.EXIT_HUB
    if any(it.state != "done" for it in items):
        return E.EXIT_CANCELLED
    return E.EXIT_OK
