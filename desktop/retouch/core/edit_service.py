"""One edit service: assembles and runs an edit from a hub profile, a request and its model.

The window's worker, ``retouch edit`` and each item of a batch are thin callers of
:class:`EditService`; none of them builds a ``HubClient``, an uploader or an ``EditRunner``
itself. A run goes::

    steps' before()  →  prepare_edit (validate, encode; nothing sent)  →  on_prepared
      →  upload inputs  →  send (or queue)  →  each result: steps' after() → save → on_result

Everything here blocks: call it on a worker thread (the window) or directly (the CLI).
Cancel goes through the ``CancelToken`` given to :meth:`EditService.run`, which aborts the
run's own sockets from any thread.

**Steps** (:class:`EditStep`) are the seam for work around the model call, such as
"plan a region → crop → send → paste the result back" (issue 12): ``before`` may return a
different request (a crop of the first input and its mask, another resolution) and runs on
the worker thread; ``after`` gets each result's bytes before they are saved and returns the
bytes to save (the result pasted back into the original). Steps run in order for
``before`` and in reverse order for ``after``. A step that also has something to record
(the model's own picture beside the composite, how it was placed) overrides
``after_result`` instead, and ``bind`` gives it the run's progress callback and cancel token.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from retouch.core import errors as E
from retouch.core.cancel import CancelToken
from retouch.core.editing import (
    EditRunner,
    PreparedEdit,
    ProgressFn,
    ResultFn,
    ResultWriter,
    RunOutcome,
    RunRecorder,
    TransformedResult,
    prepare_edit,
)
from retouch.core.hub_client import READ_TIMEOUT
from retouch.core.i18n import translate
from retouch.core.profile import HubProfile
from retouch.core.request import EditRequest
from retouch.core.results import safe_stem
from retouch.core.schema import ModelInfo, SchemaCache, model_info, resolve_model
from retouch.core.uploaders import make_uploader

if TYPE_CHECKING:
    from retouch.core.history import RunRecord

log = logging.getLogger(__name__)

DEFAULT_POLL_INTERVAL = 2.0
MODEL_READ_TIMEOUT = 30.0


def _noop(_: Any) -> None:
    pass


class AlreadyCollectingError(E.RetouchError):
    """A queued run another process (or run) is collecting right now; nothing was done."""

    exit_code = E.EXIT_OK
    action = ""


class EditStep:
    """Work around the model call (see the module docstring). The base class does nothing."""

    def bind(self, progress: ProgressFn, cancel: CancelToken) -> None:
        """Called once as the run starts, on the worker thread, before ``before``."""

    def before(self, request: EditRequest) -> EditRequest:
        """Runs on the worker thread before the request is prepared; returns the request."""
        return request

    def after(self, data: bytes, index: int) -> bytes:
        """Result *index*'s bytes as the hub sent them → the bytes to save."""
        return data

    def after_result(self, result: TransformedResult, index: int) -> TransformedResult:
        """The richer form of ``after``: the default passes ``result.data`` through it."""
        result.data = self.after(result.data, index)
        return result


@dataclass(frozen=True)
class RunOptions:
    """How one run goes, beyond the profile (all optional)."""

    use_queue: bool = False
    steps: Sequence[EditStep] = ()
    #: Names and writes results (batches give predictable names); default: ``save_result``.
    writer: ResultWriter | None = None
    #: Overrides the profile's output folder for this run (a batch's own folder).
    out_dir: Path | None = None


class EditService:
    """Runs edits for one hub profile; safe to share between threads (it keeps no run state).

    *recorder* is the history store (or None); the service never closes it.
    """

    def __init__(
        self,
        profile: HubProfile,
        *,
        recorder: RunRecorder | None = None,
        read_timeout: float = READ_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
    ) -> None:
        self.profile = profile
        self.recorder = recorder
        self.read_timeout = read_timeout
        self.poll_interval = poll_interval

    # -- models ---------------------------------------------------------------------------

    def find_model(self, model_id: str, *, cancel: CancelToken | None = None) -> ModelInfo:
        """The model built in or cached for offline use, else asked of the hub (and cached).

        Raises the hub's typed errors (404 unknown model, 401 …) when it must be asked.
        """
        cache = SchemaCache(self.profile.ensure_cache_dir())
        try:
            return resolve_model(model_id, cache)
        except E.ValidationError:
            pass
        with self.profile.client(cancel=cancel, read_timeout=MODEL_READ_TIMEOUT) as client:
            raw = client.get_model(model_id)
        cache.save(raw)
        return model_info(raw, "hub")

    # -- one edit -------------------------------------------------------------------------

    def run(
        self,
        request: EditRequest,
        *,
        cancel: CancelToken | None = None,
        progress: ProgressFn = _noop,
        on_result: ResultFn = _noop,
        on_prepared: Callable[[PreparedEdit], None] = _noop,
        options: RunOptions | None = None,
    ) -> RunOutcome:
        """Prepare, send and collect one edit; results are saved (and reported) as they come.

        Raises ``RetouchError`` subclasses: local problems (``InputError``, ``ConfigError``,
        ``MissingKeyError``) before anything is sent, ``CancelledError`` when *cancel* fired,
        the hub's and the network's errors otherwise. A run that saved some results and then
        failed returns its outcome with ``errors`` set instead of raising.
        """
        options = options or RunOptions()
        cancel = cancel or CancelToken()
        for step in options.steps:
            step.bind(progress, cancel)
        for step in options.steps:
            cancel.raise_if_cancelled()
            request = step.before(request)
        # Before anything is sent (and paid for), make sure results can be saved.
        out_dir = self.profile.ensure_output_dir(options.out_dir)
        self.profile.require_key()
        with self.profile.client(cancel=cancel, read_timeout=self.read_timeout) as client:
            prepared = prepare_edit(
                request,
                progress=progress,
                fetch_url=client.download,
                cancel_check=cancel.raise_if_cancelled,
            )
            on_prepared(prepared)
            runner = EditRunner(
                client,
                out_dir,
                uploader=make_uploader(
                    self.profile.upload, client, self.profile.ensure_cache_dir()
                ),
                recorder=self.recorder,
                use_queue=options.use_queue,
                poll_interval=self.poll_interval,
                writer=options.writer,
                transform=_after_all(options.steps),
            )
            return runner.run(prepared, progress=progress, on_result=on_result)

    # -- a queued run an earlier session started -------------------------------------------

    def resume(
        self,
        run: RunRecord,
        *,
        cancel: CancelToken | None = None,
        progress: ProgressFn = _noop,
        on_result: ResultFn = _noop,
        steps: Sequence[EditStep] = (),
    ) -> RunOutcome:
        """Collect the results of *run* (queued, with generation ids) without resending it.

        A folder that cannot take the results, or a missing key, raises before the run is
        claimed: its generations stay on the hub, collectable later. *steps* are ready for
        the results (their ``before`` already ran: ``placement.resume_step`` rebuilds one
        from the run's record); only their ``after`` is used.
        """
        cancel = cancel or CancelToken()
        for step in steps:
            step.bind(progress, cancel)
        out_dir = self.profile.ensure_output_dir()
        names = run.input_names or ["image"]
        with self.profile.client(cancel=cancel, read_timeout=self.read_timeout) as client:
            if self.recorder is not None:
                try_claim = getattr(self.recorder, "try_claim", None)
                if try_claim is None:
                    self.recorder.claim(run.id)
                elif not try_claim(run.id):
                    raise AlreadyCollectingError(
                        translate(
                            "core",
                            "This edit's results are already being collected (by another "
                            "Retouch window or command).",
                        )
                    )
            runner = EditRunner(
                client,
                out_dir,
                recorder=self.recorder,
                poll_interval=self.poll_interval,
                transform=_after_all(steps),
            )
            extra: dict[str, Any] = {}
            if run.placement is not None:
                extra["placement"] = run.placement
            if run.parent_run is not None:
                extra["parent"] = {"run_id": run.parent_run, "index": run.parent_index or 0}
            return runner.resume(
                run_id=run.id,
                generation_ids=list(run.generation_ids),
                done_indexes={o.index for o in run.outputs},
                stem=safe_stem(names[0]),
                meta=extra
                | {
                    "prompt": run.prompt,
                    "model": run.model,
                    "parameters": run.params,
                    "run_id": run.id,
                    "generation_ids": list(run.generation_ids),
                    "resumed": True,
                },
                progress=progress,
                on_result=on_result,
            )


def _after_all(steps: Sequence[EditStep]) -> Callable[[bytes, int], TransformedResult] | None:
    if not steps:
        return None

    def after(data: bytes, index: int) -> TransformedResult:
        result = TransformedResult(data)
        for step in reversed(steps):
            result = step.after_result(result, index)
        return result

    return after
