"""One edit, start to finish: prepare inputs, send, collect and save every result.

Runs on a worker thread in the app and directly in the CLI. Progress is reported through a
callback; Cancel goes through the client's CancelToken. A result that arrived is saved the
moment it arrives and is never lost because a later one failed.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import hashlib
import logging
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from retouch.core import errors as E
from retouch.core.hub_client import HubClient, duration_text
from retouch.core.i18n import translate
from retouch.core.pricing import estimate_cost
from retouch.core.redact import clean_detail
from retouch.core.request import EditRequest, InputRef, ResultRef
from retouch.core.results import SavedResult, result_format, run_tag, safe_stem, save_result
from retouch.core.schema import MAX_EDGE, NUM_GENERATIONS, NUM_IMAGES, ModelInfo, image_count
from retouch.core.uploaders import DataUriUploader, Uploader
from retouch.core.validation import validate_params, validate_prompt

if TYPE_CHECKING:
    from retouch.core.images import LoadedImage
    from retouch.core.mask import EncodedMask

# Pillow and the image/mask modules are imported where an edit is prepared, not with this
# module: the main window imports it (Progress, RunOutcome) before its first paint.

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Progress:
    phase: str  # "preparing", "uploading", "waiting", "downloading", "saving", "done"
    message: str
    done: int = 0
    total: int = 0
    started_at: float = 0.0  # time.monotonic() when the phase began (for elapsed time)
    #: The edit is on the hub's queue with its generation ids recorded: it can be left there
    #: and collected later (the window offers "Keep it running" when quitting).
    queued: bool = False


@dataclass
class PreparedInput:
    name: str
    sha256: str
    data: bytes
    mime: str
    size: tuple[int, int] | None
    notes: list[str] = field(default_factory=list)
    url: str | None = None  # for inputs that already were URLs
    recorded: bytes | None = None  # what history keeps instead of ``data`` (InputRef.recorded)

    @property
    def kept(self) -> bytes:
        """The bytes history keeps for this input."""
        return self.recorded if self.recorded is not None else self.data


@dataclass
class PreparedEdit:
    request: EditRequest
    model: ModelInfo
    prompt: str
    params: dict[str, Any]
    inputs: list[PreparedInput]
    mask: EncodedMask | None
    notes: list[str] = field(default_factory=list)


@dataclass
class RunOutcome:
    run_id: str
    results: list[SavedResult]
    asked: int
    errors: list[E.RetouchError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def partial(self) -> bool:
        return bool(self.errors) and bool(self.results)


class RunRecorder(Protocol):
    """What the history store offers a run (see ``retouch.core.history.HistoryStore``)."""

    def begin_run(
        self,
        *,
        model: str,
        prompt: str,
        params: dict[str, Any],
        inputs: Sequence[bytes],
        input_names: Sequence[str],
        mask: bytes | None,
        estimated_cost: float | None,
        batch_id: str | None = None,
        mode: str = "sync",
        parent: ResultRef | None = None,
        placement: dict[str, Any] | None = None,
    ) -> str: ...

    def add_output(
        self,
        run_id: str,
        index: int,
        data: bytes,
        ext: str,
        revised_prompt: str | None = None,
        *,
        model_output: bytes | None = None,
        info: dict[str, Any] | None = None,
    ) -> Path: ...

    def set_generation_ids(self, run_id: str, ids: Sequence[str]) -> None: ...

    def finish_run(self, run_id: str, status: str, error: str | None = None) -> None: ...

    def claim(self, run_id: str) -> None: ...


ProgressFn = Callable[[Progress], None]
ResultFn = Callable[[SavedResult], None]


class ResultWriter(Protocol):
    """Names and writes one result; ``EditRunner`` uses ``save_result`` into its folder."""

    def __call__(
        self,
        data: bytes,
        *,
        stem: str,
        run_id: str,
        index: int,
        meta: dict[str, Any],
        revised: str | None,
    ) -> SavedResult: ...


@dataclass
class TransformedResult:
    """What becomes of one result after the run's steps (see ``edit_service.EditStep``)."""

    data: bytes  # what is saved in the output folder
    #: What history keeps as the result (the composite, also when the model's own picture is
    #: what is saved) and its file extension; None: ``data``.
    recorded: bytes | None = None
    recorded_ext: str | None = None
    #: The model's own picture, kept in history beside the result when they differ.
    model_output: bytes | None = None
    #: How it was made (the paste-back record …), for the sidecar and history.
    info: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


#: A result's bytes as they arrived (and its index) → what is saved and recorded.
ResultTransform = Callable[[bytes, int], TransformedResult]


def _noop(_: Progress) -> None:
    pass


def load_input(ref: InputRef) -> LoadedImage:
    """Read and check one input. Its name is the one the user knows (``ref.label``): a file
    reopened from History is stored under its hash, but results and history keep naming it
    by the original file name."""
    from retouch.core.images import decode_image, read_file, unsupported_hint

    # check_only: an input sent as it is (PNG/JPEG/WebP that fits) never needs its pixels.
    if ref.data is not None:
        return decode_image(ref.data, ref.label, check_only=True)
    if ref.path is not None:
        return decode_image(
            read_file(ref.path, ref.label),
            ref.label,
            unsupported_hint(ref.label) or unsupported_hint(ref.path.name),
            check_only=True,
        )
    raise E.InputError(f"'{ref.label}' has no local data.")


def prepare_edit(
    request: EditRequest,
    *,
    progress: ProgressFn = _noop,
    fetch_url: Callable[[str], bytes] | None = None,
    cancel_check: Callable[[], None] = lambda: None,
) -> PreparedEdit:
    """Validate and encode everything locally, for ``request.model``. Raises InputError or
    ValidationError and sends nothing (except fetching the first input when it is a URL and
    a mask must be sized to it)."""
    from retouch.core.images import decode_image, prepared_bytes
    from retouch.core.mask import encode_mask, load_mask_file

    model = request.model
    prompt = validate_prompt(request.prompt)
    params = validate_params(model, request.params)
    if not request.inputs:
        raise E.ValidationError("input_image", "Add at least one image to edit.")
    if len(request.inputs) > 16:
        raise E.ValidationError("input_image", "Use at most 16 input images.")
    started = time.monotonic()
    prepared: list[PreparedInput] = []
    notes: list[str] = list(request.notes)
    for i, ref in enumerate(request.inputs):
        cancel_check()
        progress(
            Progress(
                "preparing",
                f"Preparing image {i + 1} of {len(request.inputs)}…",
                i,
                len(request.inputs),
                started,
            )
        )
        needs_size = i == 0 and (request.mask_path is not None or request.mask_image is not None)
        if ref.url is not None and not (needs_size and ref.data is None):
            prepared.append(
                PreparedInput(
                    ref.label,
                    hashlib.sha256(ref.url.encode()).hexdigest(),
                    b"",
                    "",
                    None,
                    url=ref.url,
                )
            )
            continue
        if ref.url is not None and fetch_url is not None:
            loaded = decode_image(fetch_url(ref.url), ref.label, check_only=True)
        else:
            loaded = load_input(ref)
        data, mime = prepared_bytes(loaded, MAX_EDGE)
        size = loaded.size if max(loaded.size) <= MAX_EDGE else _fitted(loaded.size)
        prepared.append(
            PreparedInput(
                loaded.name,
                loaded.sha256,
                data,
                mime,
                size,
                loaded.notes,
                url=ref.url if ref.url and ref.data is None else None,
                recorded=ref.recorded,
            )
        )
        notes += [f"{loaded.name}: {n}" for n in loaded.notes]
    mask = None
    first_size = prepared[0].size
    if request.mask_image is not None or request.mask_path is not None:
        if first_size is None:
            raise E.InputError("The first image's size is unknown, so the mask cannot be sized.")
        progress(
            Progress("preparing", "Preparing the mask…", len(prepared), len(prepared), started)
        )
        if request.mask_image is not None:
            mask = encode_mask(request.mask_image, first_size)
        else:
            assert request.mask_path is not None
            mask = load_mask_file(str(request.mask_path), first_size)
        if mask is None:
            # All black means "keep everything": sending the edit without it would change
            # the whole picture (and be billed) — the opposite of what the mask says.
            raise E.InputError(
                "The mask is all black, so it keeps the whole image and there is nothing to "
                "edit. Paint the area to change in white, or remove the mask to edit the "
                "whole image."
            )
    return PreparedEdit(request, model, prompt, params, prepared, mask, notes)


def _recorded_mask(prepared: PreparedEdit) -> bytes | None:
    if prepared.request.recorded_mask is not None:
        return prepared.request.recorded_mask
    return prepared.mask.png if prepared.mask else None


def _os_reason(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    if isinstance(exc, E.RetouchError):
        return exc.message
    return str(exc) or type(exc).__name__


def _fitted(size: tuple[int, int]) -> tuple[int, int]:
    scale = MAX_EDGE / max(size)
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


def _input_is_list(model: ModelInfo) -> bool:
    """True when the model's schema takes ``input_image`` only as a list (gpt-image-2)."""
    for key in ("json_request_schema", "request_schema"):
        schema = model.raw.get(key)
        props = schema.get("properties") if isinstance(schema, dict) else None
        spec = props.get("input_image") if isinstance(props, dict) else None
        if isinstance(spec, dict):
            return spec.get("type") == "array"
    return False


def build_body(prepared: PreparedEdit, urls: list[str], mask_url: str | None) -> dict[str, Any]:
    single = len(urls) == 1 and not _input_is_list(prepared.model)
    body: dict[str, Any] = {
        "model": prepared.model.id,
        "prompt": prepared.prompt,
        "input_image": urls[0] if single else urls,
        **prepared.params,
        "response_format": "url",
    }
    if mask_url:
        body["mask_url"] = mask_url
    return body


def sidecar_meta(prepared: PreparedEdit) -> dict[str, Any]:
    """What is worth keeping beside a result: never the key, never data URIs."""
    request = prepared.request
    extra: dict[str, Any] = {}
    if request.placement is not None:
        extra["placement"] = request.placement
    if request.parent is not None:
        extra["parent"] = request.parent.to_dict()
    return extra | {
        "prompt": prepared.prompt,
        "model": prepared.model.id,
        "parameters": prepared.params,
        "inputs": [
            {"name": p.name, "sha256": p.sha256, "size": list(p.size) if p.size else None}
            for p in prepared.inputs
        ],
        "mask": (
            {
                "sha256": hashlib.sha256(prepared.mask.png).hexdigest(),
                "coverage": round(prepared.mask.coverage, 4),
            }
            if prepared.mask
            else None
        ),
    }


class EditRunner:
    """Sends one prepared edit and saves what comes back (``edit_service`` assembles it)."""

    def __init__(
        self,
        client: HubClient,
        out_dir: Path,
        *,
        uploader: Uploader | None = None,
        recorder: RunRecorder | None = None,
        use_queue: bool = False,
        poll_interval: float = 2.0,
        writer: ResultWriter | None = None,
        transform: ResultTransform | None = None,
    ) -> None:
        self.client = client
        self.out_dir = Path(out_dir)
        self.uploader: Uploader = uploader or DataUriUploader()
        self.recorder = recorder
        self.use_queue = use_queue
        self.poll_interval = poll_interval
        self._write_result: ResultWriter = writer or self._save_in_folder
        self._transform = transform
        #: Stopped with the queued generations left on the hub (see CancelToken.keep_remote).
        self._kept_on_hub = False

    def run(
        self,
        prepared: PreparedEdit,
        *,
        progress: ProgressFn = _noop,
        on_result: ResultFn = lambda _r: None,
    ) -> RunOutcome:
        asked = image_count(prepared.params)
        run_id = uuid.uuid4().hex
        if self.recorder is not None:
            lineage: dict[str, Any] = {}  # passed only when set: older recorders lack them
            if prepared.request.parent is not None:
                lineage["parent"] = prepared.request.parent
            if prepared.request.placement is not None:
                lineage["placement"] = prepared.request.placement
            run_id = self.recorder.begin_run(
                model=prepared.model.id,
                prompt=prepared.prompt,
                params=prepared.params,
                # Inputs that were links have no local bytes to keep.
                inputs=[p.kept for p in prepared.inputs if p.kept],
                input_names=[p.name for p in prepared.inputs if p.kept],
                mask=_recorded_mask(prepared),
                estimated_cost=estimate_cost(prepared.model, prepared.params).dollars,
                mode="queue" if self.use_queue else "sync",
                **lineage,
            )
        outcome = RunOutcome(run_id, [], asked, notes=list(prepared.notes))
        try:
            self._run(prepared, outcome, progress, on_result)
        except E.RetouchError as exc:
            self._finish(outcome, exc)
            if outcome.results and not isinstance(exc, E.CancelledError):
                outcome.errors.append(exc)
                return outcome
            raise
        except BaseException as exc:
            self._finish(outcome, E.RetouchError(f"Unexpected error: {type(exc).__name__}"))
            raise
        # A Cancel that comes after the last result was saved changes nothing: the run is
        # reported as finished, exactly as history records it.
        self._finish(outcome, None)
        return outcome

    def _finish(self, outcome: RunOutcome, exc: E.RetouchError | None) -> None:
        if self.recorder is None:
            return
        if isinstance(exc, E.EditWaitError) and exc.collectable:
            self._leave_for_later(outcome.run_id)
            return
        if isinstance(exc, E.CancelledError) and self._kept_on_hub:
            self._leave_for_later(outcome.run_id)  # "Keep it running": collected later
            return
        # A result kept in history but not copied to the output folder is not missing.
        missing = [e for e in outcome.errors if not isinstance(e, E.ResultNotSavedError)]
        if isinstance(exc, E.CancelledError):
            status = "partial" if outcome.results else "cancelled"
        elif exc is not None:
            status = "partial" if outcome.results else "failed"
        else:
            status = "partial" if missing else "succeeded"
        first_error = exc or (outcome.errors[0] if outcome.errors else None)
        try:
            self.recorder.finish_run(
                outcome.run_id, status, first_error.message if first_error else None
            )
        except Exception:
            log.exception("could not record the end of run %s", outcome.run_id)

    def _leave_for_later(self, run_id: str) -> None:
        """The run's generations stay on the hub, uncollected: history marks it interrupted
        (not finished) so this session or the next collects it without sending it again."""
        leave = getattr(self.recorder, "leave_for_later", None)
        if leave is None:
            return  # a recorder without it: the next start's recover() does the same
        try:
            leave(run_id)
        except Exception:
            log.exception("could not leave run %s for later", run_id)

    def _run(
        self,
        prepared: PreparedEdit,
        outcome: RunOutcome,
        progress: ProgressFn,
        on_result: ResultFn,
    ) -> None:
        cancel = self.client.cancel
        uploading = getattr(self.uploader, "is_remote", False)
        started = time.monotonic()
        urls: list[str] = []
        total = len(prepared.inputs) + (1 if prepared.mask else 0)
        for i, item in enumerate(prepared.inputs):
            cancel.raise_if_cancelled()
            if item.url is not None:
                urls.append(item.url)
                continue
            if uploading:
                progress(
                    Progress("uploading", f"Uploading image {i + 1} of {total}…", i, total, started)
                )
            urls.append(self.uploader.url_for(item.data, item.mime, item.sha256))
        mask_url = None
        if prepared.mask is not None:
            cancel.raise_if_cancelled()
            if uploading:
                progress(Progress("uploading", "Uploading the mask…", total - 1, total, started))
            mask_url = self.uploader.url_for(
                prepared.mask.png, "image/png", hashlib.sha256(prepared.mask.png).hexdigest()
            )
        body = build_body(prepared, urls, mask_url)
        cancel.raise_if_cancelled()
        if self.use_queue:
            self._run_queued(prepared, outcome, body, progress, on_result)
            return
        progress(Progress("waiting", "Waiting for the model…", 0, 0, time.monotonic()))
        # The client keeps at most the images asked for; its notes say if more came.
        reply = self.client.edit(body, max_images=outcome.asked)
        items = [it for it in reply.get("images", []) if isinstance(it, dict)]
        outcome.notes.extend(n for n in reply.get("notes") or [] if isinstance(n, str))
        if not items:
            raise E.MalformedReplyError(
                "The hub finished but returned no images. This can happen when the request is "
                "refused by a content filter; try rewording the prompt."
            )
        if len(items) < outcome.asked:
            outcome.notes.append(
                translate("core", "asked for {asked} images, the hub returned {got}").format(
                    asked=outcome.asked, got=len(items)
                )
            )
        self._collect(prepared, outcome, items, progress, on_result)

    def _collect(
        self,
        prepared: PreparedEdit,
        outcome: RunOutcome,
        items: list[dict[str, Any]],
        progress: ProgressFn,
        on_result: ResultFn,
    ) -> None:
        meta = sidecar_meta(prepared) | {"run_id": outcome.run_id}
        stem = safe_stem(prepared.inputs[0].name)
        started = time.monotonic()
        for index, item in enumerate(items):
            self.client.cancel.raise_if_cancelled()
            progress(
                Progress(
                    "downloading",
                    f"Downloading result {index + 1} of {len(items)}…",
                    index,
                    len(items),
                    started,
                )
            )
            self._save_item(item, index, outcome, stem, meta, on_result)
        progress(Progress("done", "Done", len(items), len(items), started))
        if not outcome.results and outcome.errors:
            raise outcome.errors[0]

    # -- the async queue (API.md §3): survives an app restart ------------------------------

    def _run_queued(
        self,
        prepared: PreparedEdit,
        outcome: RunOutcome,
        body: dict[str, Any],
        progress: ProgressFn,
        on_result: ResultFn,
    ) -> None:
        # Each queued generation yields one image, so num_images becomes num_generations.
        body = dict(body)
        body[NUM_GENERATIONS] = outcome.asked
        body.pop(NUM_IMAGES, None)
        progress(Progress("waiting", "Queueing the edit…", 0, 0, time.monotonic()))
        ids = self.client.queue_submit(body)
        if len(ids) > outcome.asked:
            outcome.notes.append(
                translate(
                    "core",
                    "the hub queued {got} generations where {asked} were asked for; only the "
                    "first {asked} are collected",
                ).format(got=len(ids), asked=outcome.asked)
            )
            ids = ids[: outcome.asked]
        if self.recorder is not None:
            self.recorder.set_generation_ids(outcome.run_id, ids)
        progress(
            Progress(
                "waiting",
                f"Waiting for the model (0 of {len(ids)} ready)…",
                0,
                len(ids),
                time.monotonic(),
                queued=True,
            )
        )
        self.collect_queued(
            ids,
            outcome,
            stem=safe_stem(prepared.inputs[0].name),
            meta=sidecar_meta(prepared) | {"run_id": outcome.run_id, "generation_ids": ids},
            progress=progress,
            on_result=on_result,
        )

    def collect_queued(
        self,
        ids: list[str],
        outcome: RunOutcome,
        *,
        stem: str,
        meta: dict[str, Any],
        progress: ProgressFn,
        on_result: ResultFn,
        skip: set[int] | None = None,
    ) -> None:
        """Poll generations until each is final, saving every result the moment it is ready.

        On cancel, generations still pending are deleted on the hub so nothing more is billed.
        """
        pending = {i: gid for i, gid in enumerate(ids) if i not in (skip or set())}
        started = time.monotonic()
        max_wait = self.client.limits.edit_wait
        try:
            while pending:
                if time.monotonic() - started > max_wait:
                    # Not deleted: the generations may still finish (and be billed), and the
                    # run stays collectable at the next start.
                    raise E.EditWaitError(
                        translate(
                            "core",
                            "The queued edit did not finish within {wait}, so Retouch stopped "
                            "waiting. It may still be billed; it is left on the hub and "
                            "collected at the next start.",
                        ).format(wait=duration_text(max_wait)),
                        collectable=True,
                    )
                for index, gid in list(pending.items()):
                    self.client.cancel.raise_if_cancelled()
                    status = self.client.queue_get(gid)
                    state = status.get("status")
                    if state == "succeeded":
                        del pending[index]
                        url = status.get("result_url")
                        item = {"url": url} if isinstance(url, str) else {}
                        self._save_item(item, index, outcome, stem, meta, on_result)
                    elif state in ("failed", "cancelled"):
                        del pending[index]
                        message = status.get("error_message")
                        outcome.errors.append(
                            E.InvalidParamsError(
                                f"Generation {index + 1} {state}"
                                + (
                                    f": {clean_detail(message)}"
                                    if isinstance(message, str) and message
                                    else "."
                                )
                            )
                        )
                done = len(ids) - len(pending)
                progress(
                    Progress(
                        "waiting",
                        f"Waiting for the model ({done} of {len(ids)} ready)…",
                        done,
                        len(ids),
                        started,
                        queued=True,
                    )
                )
                if pending and self.client.cancel.wait(self.poll_interval):
                    self.client.cancel.raise_if_cancelled()
        except E.CancelledError:
            if self.client.cancel.keep_remote:
                # The user quit keeping it running: nothing is deleted, the run is collected
                # at the next start.
                self._kept_on_hub = True
            else:
                self._cancel_generations(list(pending.values()))
            raise
        if not outcome.results and outcome.errors:
            raise outcome.errors[0]

    def _cancel_generations(self, ids: list[str]) -> None:
        if not ids:
            return
        # The run's own client has its sockets aborted; a fresh one sends the DELETEs.
        try:
            with self.client.fresh() as client:
                for gid in ids:
                    client.queue_cancel(gid)
        except E.RetouchError as exc:
            log.warning("could not cancel %d queued generations: %s", len(ids), exc.message)

    def _save_in_folder(
        self,
        data: bytes,
        *,
        stem: str,
        run_id: str,
        index: int,
        meta: dict[str, Any],
        revised: str | None,
    ) -> SavedResult:
        """How a one-off edit's result is named and written (batches pass their own writer)."""
        return save_result(
            self.out_dir,
            data,
            stem=stem,
            run_id=run_id,
            index=index,
            meta=meta,
            revised_prompt=revised,
        )

    def _save_item(
        self,
        item: dict[str, Any],
        index: int,
        outcome: RunOutcome,
        stem: str,
        meta: dict[str, Any],
        on_result: ResultFn,
    ) -> None:
        revised = item.get("revised_prompt")
        revised = revised if isinstance(revised, str) else None
        try:
            raw = self._fetch(item, index)
            made = (
                self._transform(raw, index)
                if self._transform is not None
                else TransformedResult(raw)
            )
            data = made.data
            _fmt, ext = result_format(data, index)  # never keep something that is no image
            item_meta = meta | ({"result": made.info} if made.info else {})
        except E.CancelledError:
            raise
        except E.RetouchError as exc:
            log.warning("result %d failed: %s", index + 1, exc.message)
            outcome.errors.append(exc)
            return
        kept = made.recorded if made.recorded is not None else data
        extra: dict[str, Any] = {}  # passed only when set: older recorders lack them
        if made.model_output is not None and made.model_output != kept:
            extra["model_output"] = made.model_output
        if made.info:
            extra["info"] = made.info
        outcome.notes.extend(
            translate("core", "result {n}: {note}").format(n=index + 1, note=n) for n in made.notes
        )
        saved = self._keep(
            data,
            ext,
            index,
            outcome,
            lambda: self._write_result(
                data,
                stem=stem,
                run_id=outcome.run_id,
                index=index,
                meta=item_meta,
                revised=revised,
            ),
            revised,
            history=(kept, made.recorded_ext or ext, extra),
            file_name=f"{stem}-{run_tag(outcome.run_id)}-{index + 1}.{ext}",
        )
        saved = dataclasses.replace(
            saved,
            run_id=outcome.run_id,
            model_output=made.model_output if made.model_output != data else None,
            composite=made.recorded if made.recorded is not None else None,
            info=made.info,
        )
        outcome.results.append(saved)
        on_result(saved)

    def _keep(
        self,
        data: bytes,
        ext: str,
        index: int,
        outcome: RunOutcome,
        write_copy: Callable[[], SavedResult],
        revised: str | None,
        history: tuple[bytes, str, dict[str, Any]] | None = None,
        file_name: str = "",
    ) -> SavedResult:
        """Keep a paid result, whatever the disks do (issue 13): into the history store
        first — the source of truth — then its copy in the output folder. A copy that
        fails leaves it in history (``unsaved`` says why, a ResultNotSavedError in the
        outcome says where); a history that fails too leaves its bytes in memory."""
        kept_at: Path | None = None
        history_problem = ""
        if self.recorder is not None:
            kept, kept_ext, extra = history if history is not None else (data, ext, {})
            try:
                kept_at = self.recorder.add_output(
                    outcome.run_id, index, kept, kept_ext, revised, **extra
                )
            except Exception as exc:
                log.exception("could not add result %d to history", index + 1)
                history_problem = _os_reason(exc)
        try:
            return write_copy()
        except E.CancelledError:
            raise
        except (E.RetouchError, OSError) as exc:
            reason = exc.message if isinstance(exc, E.RetouchError) else _os_reason(exc)
            log.warning("result %d not saved in the output folder: %s", index + 1, reason)
        folder = self.out_dir
        if kept_at is not None:
            where = translate("core", "It is kept in Retouch's history: {path}").format(
                path=kept_at
            )
            saved = SavedResult(
                index,
                kept_at,
                kept_at.with_name(kept_at.name + ".json"),
                revised,
                unsaved=reason,
                file_name=file_name,
            )
        else:
            why = f" ({history_problem})" if history_problem else ""
            where = translate(
                "core",
                "It could not be kept in Retouch's history either{why}; it is only in memory: "
                "save it to another folder now",
            ).format(why=why)
            name = file_name or f"result-{index + 1}.{ext}"
            saved = SavedResult(
                index,
                folder / name,
                folder / f"{name}.json",
                revised,
                unsaved=reason,
                data=data,
                file_name=name,
            )
        outcome.errors.append(E.ResultNotSavedError(f"{reason.rstrip('.')}. {where}."))
        return saved

    def resume(
        self,
        *,
        run_id: str,
        generation_ids: list[str],
        done_indexes: set[int],
        stem: str,
        meta: dict[str, Any],
        progress: ProgressFn = _noop,
        on_result: ResultFn = lambda _r: None,
    ) -> RunOutcome:
        """Collect the results of a queued run started by an earlier session."""
        outcome = RunOutcome(run_id, [], len(generation_ids))
        done = len(done_indexes)
        progress(
            Progress(
                "waiting",
                f"Collecting the results ({done} of {len(generation_ids)} ready)…",
                done,
                len(generation_ids),
                time.monotonic(),
                queued=True,
            )
        )
        try:
            self.collect_queued(
                generation_ids,
                outcome,
                stem=stem,
                meta=meta,
                progress=progress,
                on_result=on_result,
                skip=done_indexes,
            )
        except E.RetouchError as exc:
            self._finish(outcome, exc)
            raise
        self._finish(outcome, None)
        return outcome

    def _fetch(self, item: dict[str, Any], index: int) -> bytes:
        image = item.get("b64_json")
        # The client decodes b64_json results as they stream in, under the download cap.
        if isinstance(image, E.RetouchError):
            raise image
        if isinstance(image, (bytes, bytearray)):
            return bytes(image)
        if isinstance(image, str):
            cap = self.client.limits.result_bytes
            if len(image) * 3 // 4 > cap:
                raise E.ResultDownloadError(
                    f"Result {index + 1} was larger than {cap / 1e6:.0f} MB; it was not kept."
                )
            try:
                return base64.b64decode(image, validate=True)
            except (binascii.Error, ValueError):
                raise E.MalformedReplyError(f"Result {index + 1} was not valid base64.") from None
        url = item.get("url")
        if isinstance(url, str) and url:
            return self.client.download(url)
        raise E.MalformedReplyError(f"Result {index + 1} had neither a URL nor image data.")
