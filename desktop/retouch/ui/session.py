"""What the window remembers, and how the editor is put back: settings, the saved session,
a run reopened from history, a preset.

Everything goes through the editor state (``window.state``): the model with the values
remembered for it, the prompt, the mask settings. The session file is the typed
``core.history.Session``.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QCoreApplication, QRect, Qt
from PySide6.QtGui import QImage

from retouch.core.paths import data_dir
from retouch.core.request import InputRef
from retouch.core.results import SavedResult
from retouch.core.schema import DEFAULT_MODEL, ModelInfo
from retouch.ui.i18n import QT_TRANSLATE_NOOP, translate
from retouch.ui.pages import Page
from retouch.ui.text import display_path

if TYPE_CHECKING:
    from retouch.core.history import Session
    from retouch.core.presets import Preset
    from retouch.ui.main_window import MainWindow
    from retouch.ui.run_history import HistoryOpened

log = logging.getLogger(__name__)


#: What the window says about a history it could not use as it is (see HistoryOpened).
HISTORY_PROBLEMS = {
    "damaged": QT_TRANSLATE_NOOP(
        "SessionController",
        "Your history could not be opened: its database is damaged ({detail}). Retouch "
        "started without it, so new runs are not recorded. Start a fresh history: the old "
        "file is kept aside, nothing in it is deleted.",
    ),
    "newer": QT_TRANSLATE_NOOP(
        "SessionController",
        "Your history was made by a newer Retouch, so it is open read-only: you can browse "
        "and reopen runs, but new runs are not recorded in it. Update Retouch to keep using it.",
    ),
    "unavailable": QT_TRANSLATE_NOOP(
        "SessionController",
        "Your history could not be opened ({detail}). Retouch started without it, so new "
        "runs are not recorded.",
    ),
}


class SessionController:
    def __init__(self, window: MainWindow) -> None:
        self.w = window
        self.settings = window.settings
        #: A mask waiting for its image to be decoded (session restore, a reopened run).
        self.pending_mask: Path | None = None

    # -- models and the values remembered for each -------------------------------------------

    def remembered(self, model_id: str) -> dict[str, Any]:
        saved = self.settings.get("params").get(model_id, {})
        return saved if isinstance(saved, dict) else {}

    def apply_model(self, model_id: str, values: dict[str, Any] | None = None) -> None:
        """Edit with *model_id* (or the default model if it is not offered) and *values*, or
        the values last used with it."""
        model = self.w.catalogue.resolve(model_id)
        self.w.state.set_model(model, self.remembered(model.id) if values is None else values)

    def pick_model(self, model_id: str) -> None:
        """The user chose another model: keep this one's values, bring back the other's."""
        if model_id and model_id != self.w.state.model.id:
            self.remember()
            self.apply_model(model_id)

    def start_models(self) -> None:
        """At start: the offline list, and the model last used if it is on it."""
        current = self.settings.get("model")
        if self.w.catalogue.get(current) is None:
            current = DEFAULT_MODEL
        self.w.sidebar.set_models(list(self.w.catalogue.models.values()))
        self.apply_model(current)

    def models_listed(self, fresh: list[ModelInfo]) -> None:
        """The hub listed its models: offer them, keep the current values."""
        state = self.w.state
        current: str = state.model.id
        values: dict[str, Any] | None = state.params
        preferred = self.settings.get("model")
        if current == DEFAULT_MODEL and preferred != current and preferred in {m.id for m in fresh}:
            # The last used model was not known offline; now that the hub listed it, use it.
            current, values = preferred, None
        if self.w.catalogue.get(current) is None:
            current = DEFAULT_MODEL
        self.w.sidebar.set_models(list(self.w.catalogue.models.values()))
        self.apply_model(current, values)

    def apply_preset(self, preset: Preset) -> None:
        """Fill prompt, model and parameters from a preset."""
        if self.w.catalogue.get(preset.model) is not None:
            self.pick_model(preset.model)
        else:
            self.w.show_message(
                "warning",
                translate(
                    "SessionController",
                    "The preset '{name}' uses the model '{model}', which is not available now; "
                    "its prompt and matching parameters were used with {current}.",
                ).format(
                    name=preset.name, model=preset.model, current=self.w.state.model.display_name
                ),
            )
        state = self.w.state
        known = {p.name for p in state.model.params}
        values = {**state.params, **{k: v for k, v in preset.params.items() if k in known}}
        self.apply_model(state.model.id, values)
        state.set_prompt(preset.prompt)

    # -- settings ---------------------------------------------------------------------------

    def remember(self) -> None:
        """Model, its values and the prompt into the settings file."""
        state = self.w.state
        params = self.settings.get("params")
        params[state.model.id] = state.params
        self.settings.set("params", params, save=False)
        self.settings.set("model", state.model.id, save=False)
        self.settings.set("prompt", state.prompt, save=False)
        self.settings.save()

    # -- placing results back (issue 12) ----------------------------------------------------

    def restore_placement(self) -> None:
        """The remembered choices: the high-resolution allowance, colour match, scaling to
        the original size, which picture is saved, and the keep-the-mask answer."""
        from retouch.ui.editor import Placement

        output = self.settings.get("save_output")
        self.w.state.set_placement(
            Placement(
                region=self.w.state.placement.region,
                feather=self.w.state.placement.feather,
                color_match=bool(self.settings.get("color_match")),
                scale_to_original=bool(self.settings.get("scale_to_original")),
                allow_high_res=bool(self.settings.get("allow_high_res")),
                output=output if output in ("composite", "model") else "composite",
            )
        )
        answer = self.settings.get("keep_mask_answer")
        self.w.canvas_panel.keep_mask_answer = {"keep": True, "clear": False}.get(answer)

    def remember_placement(self, placement: object) -> None:
        from retouch.ui.editor import Placement

        if not isinstance(placement, Placement):
            return
        changed = False
        for name, value in (
            ("color_match", placement.color_match),
            ("scale_to_original", placement.scale_to_original),
            ("allow_high_res", placement.allow_high_res),
            ("save_output", placement.output),
        ):
            if self.settings.get(name) != value:
                self.settings.set(name, value, save=False)
                changed = True
        if changed:
            self.settings.save()

    def remember_keep_mask(self, keep: bool) -> None:
        self.settings.set("keep_mask_answer", "keep" if keep else "clear")

    def use_as_input(self, result: SavedResult) -> None:
        """The result becomes the edited image (the first input), not a reference; the next
        run records it as its parent (history's lineage)."""
        from retouch.core.request import ResultRef

        w = self.w
        if not result.path.exists():
            text = QCoreApplication.translate("Session", "'{name}' is no longer there.")
            w.show_message("error", text.format(name=result.path.name))
            return
        w.tray.set_edited(result.path)
        if result.run_id:
            w.state.set_source_result(ResultRef(result.run_id, result.index), result.path)
        else:
            w.state.set_source_result(None)
        w.show_page(Page.CANVAS)

    def restore_window(self) -> None:
        w = self.w
        geometry = self.settings.get("window_geometry")
        if geometry:
            w.restoreGeometry(QByteArray.fromBase64(geometry.encode()))
        sizes = self.settings.get("splitter_sizes")
        if isinstance(sizes, list) and len(sizes) == 3 and all(isinstance(s, int) for s in sizes):
            w.splitter.setSizes(sizes)
        w.state.set_prompt(self.settings.get("prompt"))

    def fit_first_start(self, available: QRect | None = None) -> None:
        """With no size remembered, the default size must fit the screen: on a 1280×800
        laptop it would spill past the edges and hide Run, so the window opens maximised
        there instead. *available* is the screen's free area (the window's screen)."""
        w = self.w
        if self.settings.get("window_geometry"):
            return
        if available is None:
            screen = w.screen()
            if screen is None:
                return
            available = screen.availableGeometry()
        # What the window manager adds around the client area (title bar, borders).
        frame_w, frame_h = 16, 48
        if w.width() + frame_w > available.width() or w.height() + frame_h > available.height():
            w.setWindowState(w.windowState() | Qt.WindowState.WindowMaximized)

    def save_window(self) -> None:
        geometry = bytes(self.w.saveGeometry().toBase64().data()).decode()
        self.settings.set("window_geometry", geometry, save=False)
        self.settings.set("splitter_sizes", self.w.splitter.sizes(), save=False)
        self.remember()

    # -- the session file -------------------------------------------------------------------

    def session(self) -> Session:
        """The editor and what is on screen, as the typed session."""
        from retouch.core.history import Session, SessionResult

        w = self.w
        mask_file = None
        canvas = w.canvas_panel.canvas
        if not canvas.is_mask_empty():
            mask_file = data_dir() / "session" / "mask.png"
            try:
                mask_file.parent.mkdir(parents=True, exist_ok=True)
                canvas.save_mask_png(mask_file)
            except Exception as exc:  # noqa: BLE001 - losing the session mask must not block quit
                log.warning("session mask not saved: %s", exc)
                mask_file = None
        results = w.results_if_built()
        return Session(
            editor=w.state.data(mask_file),
            results=[
                SessionResult(r.index, r.path, r.revised_prompt)
                for r in (results.gallery.results() if results else [])
            ],
            selected_result=results.current_row() if results else -1,
            page=w.pager.current(),
        )

    def save_session(self) -> None:
        from retouch.core.history import write_session

        try:
            write_session(data_dir(), self.session())
        except OSError as exc:
            log.warning("session not saved: %s", exc)

    def restore_session(self) -> None:
        from retouch.core.history import read_session

        session = read_session(data_dir())
        editor = session.editor
        if editor.model is not None and self.w.catalogue.get(editor.model) is not None:
            self.apply_model(editor.model, editor.params)
        if editor.prompt is not None:
            self.w.state.set_prompt(editor.prompt)
        if editor.mask is not None:
            self.w.state.set_mask_settings(editor.mask)
        mask = editor.mask_file
        self.pending_mask = mask if mask is not None and mask.exists() else None
        self.w.tray.add_refs(_existing(editor.inputs))
        results = [
            _saved(r.index, r.path, r.revised_prompt) for r in session.results if r.path.exists()
        ]
        if results:
            self.w.results.load_saved(results, select=session.selected_result)
            self.w.pager.set_results_count(len(results))
        if session.page in (Page.CANVAS, Page.RESULTS):
            self.w.show_page(session.page)

    # -- the history itself -------------------------------------------------------------------

    def report_history(self, opened: HistoryOpened) -> None:
        """Say what is wrong with the history found at start (nothing when all is well)."""
        text = HISTORY_PROBLEMS.get(opened.problem)
        if text is None:
            return
        detail = " ".join(opened.detail.split())[:200]
        self.w.show_message(
            "error" if opened.problem == "damaged" else "warning",
            translate("SessionController", text).format(detail=detail),
            "fresh_history" if opened.problem == "damaged" else "",
        )

    def start_fresh_history(self) -> None:
        """Set the damaged history aside (``history.sqlite3.damaged-DATE``, with its runs and
        blobs) and start an empty one; say where the old one is."""
        from retouch.core.history import HistoryError, HistoryStore
        from retouch.core.paths import history_dir

        w = self.w
        try:
            store, moved = HistoryStore.start_fresh(history_dir())
        except (HistoryError, OSError) as exc:
            w.show_message(
                "error",
                translate("SessionController", "A fresh history could not be started: {e}").format(
                    e=exc
                ),
            )
            return
        store.demo = w.hub.demo  # the demo's runs stay marked in the new one too
        w.run_history.replace(store)
        w.show_message(
            "info",
            translate(
                "SessionController",
                "A fresh history was started; new runs are recorded again. The old one was kept "
                "as {path}.",
            ).format(path=display_path(moved)),
        )

    # -- a run from the history -------------------------------------------------------------

    def open_run(self, run_id: str, rerun: bool = False, *, show_page: bool = True) -> None:
        """Restore a past run's inputs, mask, prompt, model and parameters (and results).

        A run still on the hub's queue (left uncollected) is offered for collection."""
        w = self.w
        record = w.history.get(run_id) if w.history is not None else None
        if record is None:
            w.show_message(
                "error", translate("SessionController", "That run is no longer in the history.")
            )
            return
        w.tray.clear()
        w.canvas_panel.set_image(None)
        mask = record.mask_path
        self.pending_mask = mask if mask is not None and mask.exists() else None
        w.tray.add_refs(
            _existing(
                [
                    InputRef(path=p, name=n)
                    for p, n in zip(record.input_paths, record.input_names, strict=False)
                ]
            )
        )
        if w.catalogue.get(record.model) is not None:
            self.pick_model(record.model)
        self.apply_model(w.state.model.id, _params_as_asked(record.params, record.placement))
        w.state.set_prompt(record.prompt)
        self._restore_run_placement(record.placement)
        w.state.set_source_result(None)
        w.results.load_saved(
            [
                SavedResult(
                    o.index,
                    o.path,
                    o.path.with_name(o.path.name + ".json"),
                    o.revised_prompt,
                    model_path=o.model_path if o.model_path and o.model_path.exists() else None,
                    run_id=record.id,
                    info=o.info,
                )
                for o in record.outputs
                if o.path.exists()
            ]
        )
        w.pager.set_results_count(len(record.outputs))
        if rerun:
            w.runs.run_when_ready()
        elif show_page:
            w.show_page(Page.CANVAS)
            if record.collectable:
                w.runs.offer_collect(record)

    def _restore_run_placement(self, placement: dict[str, Any] | None) -> None:
        """A reopened run's region and feather, and its other choices, as it was run."""
        from dataclasses import replace

        if not isinstance(placement, dict):
            return
        options = placement.get("options")
        options = options if isinstance(options, dict) else {}
        region: Any = options.get("region", "auto")
        if (
            isinstance(region, list)
            and len(region) == 4
            and all(isinstance(v, int) for v in region)
        ):
            x0, y0, x1, y1 = region
            region = (x0, y0, x1 - x0, y1 - y0)
        elif region not in ("auto", "whole"):
            region = "auto"
        feather = options.get("feather")
        state = self.w.state
        state.set_placement(
            replace(
                state.placement,
                region=region,
                feather=feather if isinstance(feather, int) and feather >= 0 else None,
                color_match=options.get("color_match") is not False,
                scale_to_original=options.get("scale_to_original") is True,
            )
        )

    # -- the edited image -------------------------------------------------------------------

    def first_image_changed(self, image: QImage | None) -> None:
        """Show the new edited image; a mask waiting for it is put on it."""
        w = self.w
        pending = self.pending_mask if image is not None else None
        if pending is None:
            w.canvas_panel.set_image(image)
            return
        self.pending_mask = None
        w.canvas_panel.set_image(image, keep_mask=False)
        try:
            w.canvas_panel.canvas.load_mask_file(pending)
        except Exception as exc:  # noqa: BLE001 - a bad stored mask must not block restore
            w.show_message(
                "warning",
                translate(
                    "SessionController", "The saved mask could not be restored ({e})."
                ).format(e=exc),
            )


def _params_as_asked(params: dict[str, Any], placement: dict[str, Any] | None) -> dict[str, Any]:
    """A run's parameters as the user set them: a size Auto chose goes back to Auto."""
    plan = placement.get("plan") if isinstance(placement, dict) else None
    if not isinstance(plan, dict) or not plan.get("auto_resolution"):
        return dict(params)
    chosen = plan.get("params")
    names = set(chosen) if isinstance(chosen, dict) else set()
    return {k: ("auto" if k in names else v) for k, v in params.items()}


def _saved(index: int, path: Path, revised_prompt: str | None) -> SavedResult:
    return SavedResult(index, path, path.with_name(path.name + ".json"), revised_prompt)


def _existing(refs: list[InputRef]) -> list[InputRef]:
    return [r for r in refs if r.path is None or r.path.exists()]
