"""Running edits from the window: why Run is blocked, starting and cancelling a run, showing
what it brings back, and collecting runs an earlier session left on the hub's queue.

The run itself happens in ``worker.RunController`` (through ``run_task``); this module turns
the editor state into an ``EditJob`` and the controller's reports into what the user sees.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

# Qt classes first needed after the window's first paint are reached through their module
# (QtWidgets.QMessageBox): PySide6 builds a class, enums and all, when it is first touched.
from PySide6 import QtWidgets
from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QImage

from retouch.core import errors as E
from retouch.core.request import EditRequest
from retouch.core.schema import image_count
from retouch.ui.i18n import QT_TRANSLATE_NOOP, plural
from retouch.ui.pages import Page
from retouch.ui.run_card import phase_text
from retouch.ui.text import display_path
from retouch.ui.worker import EditJob

if TYPE_CHECKING:
    from retouch.core.editing import Progress, RunOutcome
    from retouch.core.history import RunRecord
    from retouch.core.results import SavedResult
    from retouch.ui.main_window import MainWindow

#: How often a run asked for before its inputs were ready looks again (re-run from history).
READY_POLL_MS = 50
#: Why Run is off when the painted mask keeps everything (issue 13; the CLI refuses such a
#: mask with exit 2 and the same reason).
MASK_ALL_BLACK = QT_TRANSLATE_NOOP(
    "Runs",
    "The mask is all black: nothing would change. Paint what should change, or clear the "
    "mask to edit the whole image.",
)
#: How long closing the window waits for a cancelled run's thread to let go.
CLOSE_WAIT_MS = 10_000


class Runs(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window
        self.controller = window.controller
        self._resuming: list[RunRecord] = []
        self._run_when_ready = False
        #: The run in progress is on the hub's queue with its ids recorded: it can be kept
        #: running when the window closes (collected at the next start).
        self.queued = False
        self._expected = 1  # images the run in progress will bring
        #: The run in progress is collected later: its earlier results stay in the gallery.
        self._resumed = False
        c = self.controller
        c.progress.connect(self._on_progress)
        c.result.connect(self._on_result)
        c.finished.connect(self._on_finished)
        c.failed.connect(self._on_failed)
        c.runningChanged.connect(self._on_running)

    # -- starting ---------------------------------------------------------------------------

    def blocker(self) -> str:
        """Why Run is disabled right now, or '' when it can run."""
        w = self.w
        if self.controller.running:
            return self.tr("A run is in progress.")
        if not w.tray.items():
            return self.tr("Add an image to edit (drop it on the left, or Ctrl+O).")
        if w.tray.is_loading():
            return self.tr("Loading images…")
        if not w.state.prompt.strip():
            return self.tr("Write a prompt: say what should change.")
        if w.canvas_panel.canvas.is_mask_all_black():
            return self.tr(MASK_ALL_BLACK)
        if not w.hub.key():
            return self.tr("Set your API key in Settings (Ctrl+,), or try the offline demo.")
        return ""

    def run(self) -> None:
        w = self.w
        if self.controller.running:
            return
        reason = self.blocker()
        if reason:
            w.show_message("warning", reason, "set_key" if "API key" in reason else "")
            return
        try:
            profile = w.hub.profile()
        except E.ConfigError as exc:
            w.show_message("error", exc.message, "settings")
            return
        state = w.state
        canvas = w.canvas_panel.canvas
        # Only the painted area is copied here; the full-size mask is made on the run's thread
        # (converting a 6000×4000 mask took ~30 ms of the UI thread).
        part = canvas.mask_part()
        image = canvas.image()
        job = EditJob(
            profile=profile,
            request=EditRequest(
                state.prompt,
                state.inputs,
                state.model,
                state.params,
                parent=state.source_result,
            ),
            mask_part=(
                (part[0], part[1], (image.width(), image.height()))
                if part is not None and image is not None
                else None
            ),
            recorder=w.recorder,
            use_queue=w.queue_available and profile.use_queue and w.recorder is not None,
            poll_interval=w.poll_interval,
            placement=state.placement,
            keep_gps=not w.settings.get("remove_gps"),
        )
        w.settings.remember_prompt(state.prompt)
        w.session.remember()
        w.banner.hide()
        self.queued = False
        self._expected = image_count(state.params)
        self._resumed = False
        self.controller.start(job)

    def cancel(self) -> None:
        if self.controller.running:
            w = self.w
            w.sidebar.cancel_button.setEnabled(False)
            w.sidebar.phase_label.setText(self.tr("Cancelling…"))
            w.canvas_panel.run_card.set_cancelling()
            results = w.results_if_built()
            if results is not None:
                results.set_cancelling()
            self.controller.cancel()

    def stop_for_close(self) -> bool:
        """Closing the window mid-run: ask, then stop the run and wait for its thread.

        A queued run (its generations on the hub) can be kept running — nothing deleted,
        collected at the next start — or cancelled (deleted: nothing more is billed). A
        synchronous edit can only be cancelled. False if the user keeps the window open."""
        if not self.controller.running:
            return True
        answer = self.ask_quit(self.queued)
        if answer == "keep":
            self.controller.leave_running(CLOSE_WAIT_MS)
            return True
        if answer == "cancel":
            self.controller.shutdown(CLOSE_WAIT_MS)
            return True
        return False

    def ask_quit(self, queued: bool) -> str:
        """The question when quitting mid-run: "keep", "cancel" or "stay"."""
        box = QtWidgets.QMessageBox(self.w)
        box.setObjectName("quitWhileRunning")
        box.setIcon(QtWidgets.QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Quit while running?"))
        if not queued:
            box.setText(
                self.tr(
                    "An edit is still running. Quit and cancel it? Results that already "
                    "arrived are saved; if the hub already received the edit, it may still "
                    "be billed."
                )
            )
            cancel = box.addButton(
                self.tr("Quit and Cancel"), QtWidgets.QMessageBox.ButtonRole.YesRole
            )
            stay = box.addButton(self.tr("Don't Quit"), QtWidgets.QMessageBox.ButtonRole.NoRole)
            box.setDefaultButton(stay)
            box.setEscapeButton(stay)
            box.exec()
            return "cancel" if box.clickedButton() is cancel else "stay"
        box.setText(
            self.tr(
                "An edit is still running on the hub. Keep it running and Retouch collects "
                "its results the next time it starts (it is billed as usual), or cancel it "
                "so nothing more is billed. Results that already arrived are saved."
            )
        )
        keep = box.addButton(
            self.tr("Keep It Running"), QtWidgets.QMessageBox.ButtonRole.AcceptRole
        )
        cancel = box.addButton(
            self.tr("Cancel the Edit"), QtWidgets.QMessageBox.ButtonRole.DestructiveRole
        )
        stay = box.addButton(self.tr("Don't Quit"), QtWidgets.QMessageBox.ButtonRole.RejectRole)
        keep.setObjectName("quitKeepRunning")
        cancel.setObjectName("quitCancelRun")
        stay.setObjectName("quitStay")
        box.setDefaultButton(keep)
        box.setEscapeButton(stay)
        box.exec()
        clicked = box.clickedButton()
        return "keep" if clicked is keep else "cancel" if clicked is cancel else "stay"

    def run_when_ready(self) -> None:
        """Run as soon as the inputs (and a mask being restored) have loaded."""
        self._run_when_ready = True
        self._maybe_run_pending()

    def _maybe_run_pending(self) -> None:
        if not self._run_when_ready:
            return
        if self.w.tray.is_loading() or self.w.session.pending_mask is not None:
            QTimer.singleShot(READY_POLL_MS, self, self._maybe_run_pending)
            return
        self._run_when_ready = False
        self.run()

    # -- queued runs an earlier session left ----------------------------------------------

    def queue_probed(self, available: bool) -> None:
        w = self.w
        w.queue_available = available
        if available and not self._resuming:
            n = self.collect_pending()
            if n:
                w.show_message(
                    "info",
                    plural(
                        self.tr(
                            "Collecting the results of %n edit(s) that were still running on "
                            "the hub when Retouch stopped waiting…",
                            "",
                            n,
                        ),
                        n,
                    ),
                )

    def collect_pending(self, run_id: str = "") -> int:
        """Collect queued runs left on the hub (closed with "Keep it running", past their
        maximum wait, or killed): *run_id*'s, or every one. Returns how many will be."""
        w = self.w
        history = w.recorder  # collecting writes: never into a read-only history
        if history is None:
            return 0
        pending = [r for r in history.pending_queue_runs() if r.collectable]
        if run_id:
            pending = [r for r in pending if r.id == run_id]
        known = {r.id for r in self._resuming}
        self._resuming.extend(r for r in pending if r.id not in known)
        if pending:
            self._resume_next()
        return len(pending)

    def offer_collect(self, record: RunRecord) -> None:
        """A run reopened from History is still on the hub: say so, offer to collect it."""
        done, total = len(record.outputs), len(record.generation_ids)
        self.offered_run = record.id
        self.w.show_message(
            "info",
            self.tr(
                "This edit is still on the hub's queue ({done} of {total} results collected). "
                "Collect the rest now; it is billed whether or not they are collected."
            ).format(done=done, total=total),
            "collect",
        )

    def collect_offered(self) -> None:
        run_id, self.offered_run = self.offered_run, ""
        self.w.banner.hide()
        if not self.collect_pending(run_id):
            self.w.show_message("info", self.tr("There is nothing left to collect for that edit."))

    def _resume_next(self) -> None:
        if not self._resuming or self.controller.running:
            return
        w = self.w
        try:
            profile = w.hub.profile()
        except E.ConfigError:
            return
        if not w.hub.key():
            return
        record = self._resuming.pop(0)
        # The run as it was: its inputs in the tray, the results saved before it was left,
        # then those collected now beside them.
        w.session.open_run(record.id, show_page=False)
        job = EditJob(
            profile=profile,
            request=EditRequest(record.prompt, [], w.state.model),
            recorder=w.recorder,
            poll_interval=w.poll_interval,
            resume=record,
        )
        self.queued = True
        self._expected = max(1, len(record.generation_ids) - len(record.outputs))
        self._resumed = True
        self.controller.start(job)

    # -- what the run reports ---------------------------------------------------------------

    def _on_running(self, running: bool) -> None:
        w = self.w
        w.sidebar.set_running(running)
        # Progress where the eye is: over the canvas, and a tile per image coming.
        if running:
            w.canvas_panel.run_card.start(self._expected)
            w.results.begin_run(self._expected, w.tray.first_image(), keep=self._resumed)
        else:
            w.canvas_panel.run_card.stop()
            results = w.results_if_built()
            if results is not None:
                results.end_run()
                w.pager.set_results_count(results.count())
        w.update_run_state()

    def _on_progress(self, progress: Progress) -> None:
        w = self.w
        if progress.queued:
            self.queued = True
        w.sidebar.set_phase(progress)
        text = phase_text(progress)
        w.canvas_panel.run_card.set_phase(text)
        results = w.results_if_built()
        if results is not None:
            results.set_phase(text)

    def _on_result(self, result: SavedResult, images: dict[str, QImage]) -> None:
        results = self.w.results
        results.add_result(result, images)
        if results.count() == 1:
            # The first result: show it, and put the keyboard there (arrows browse them).
            self.w.show_page(Page.RESULTS)
            results.focus_first()
        self.w.pager.set_results_count(results.count())

    def _after_run(self) -> None:
        self.w.centre.refresh_history()
        QTimer.singleShot(0, self, self._resume_next)

    def _on_finished(self, outcome: RunOutcome) -> None:
        self._after_run()
        w = self.w
        built = w.results_if_built()
        w.pager.set_results_count(built.count() if built else 0)
        saved = len(outcome.results)
        folder = outcome.results[0].path.parent if outcome.results else None
        text = plural(self.tr("%n result(s) saved to %1.", "", saved), saved).replace(
            "%1", display_path(folder) if folder else ""
        )
        if w.recorder is None and w.run_history.problem:
            text += " " + self.tr("It is not recorded in history (see the message at start).")
        if outcome.errors:
            total = len(outcome.results) + len(outcome.errors)
            first = outcome.errors[0]
            self.offered_run = ""
            unsaved = [e for e in outcome.errors if isinstance(e, E.ResultNotSavedError)]
            if unsaved:
                # Paid results the output folder could not take: kept, and said where.
                n = len(unsaved)
                w.show_message(
                    "warning",
                    plural(
                        self.tr("%n result(s) could not be saved in the output folder.", "", n),
                        n,
                    )
                    + " "
                    + unsaved[0].message,
                    "save_elsewhere",
                )
                return
            w.show_message(
                "warning",
                self.tr("{saved} of {total} results saved.").format(saved=saved, total=total)
                + " "
                + first.message,
                "collect" if _collectable(first) else "",
            )
        elif outcome.notes:
            w.show_message(
                "info",
                text + " " + self.tr("Note: %1.").replace("%1", "; ".join(outcome.notes)),
            )
        else:
            w.statusBar().showMessage(text, 8000)

    def _on_failed(self, error: E.RetouchError) -> None:
        self._after_run()
        if isinstance(error, E.CancelledError):
            built = self.w.results_if_built()
            kept = built.count() if built else 0
            extra = (
                " " + plural(self.tr("%n result(s) that arrived were kept.", "", kept), kept)
                if kept
                else ""
            )
            self.w.show_message(
                "info",
                self.tr(
                    "Run cancelled. If the hub had already received the edit, it may still "
                    "be billed."
                )
                + extra,
            )
            return
        from retouch.core.edit_service import AlreadyCollectingError

        if isinstance(error, AlreadyCollectingError):
            self.w.show_message("info", error.message)
            return
        if isinstance(error, E.EditWaitError):
            # Past the maximum wait: the hub may still finish (and bill) it. A queued one is
            # left there: collected at the next start, from History, or now.
            self.offered_run = ""
            self.w.show_message(
                "warning", error.message, "collect" if _collectable(error) else "settings"
            )
            return
        self.w.show_message("error", error.message, error.action)


def _collectable(error: E.RetouchError) -> bool:
    return isinstance(error, E.EditWaitError) and error.collectable
