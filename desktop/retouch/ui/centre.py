"""The window's centre: the page selector over the pages (Mask, Results, Compare, History),
each page built and wired to the window the first time it is needed, which page is shown and
where the keyboard goes with it, and Compare kept in step with the results.

``pages.Pages`` is the stack and its selector; this room knows what each page is made of and
what it is connected to. The window's Tab order lives here too: it follows the page shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from retouch.ui.focus import chain_focus, focusable_children
from retouch.ui.pages import Page, Pages

if TYPE_CHECKING:
    from retouch.core.history import HistoryStore
    from retouch.ui.history import HistoryPanel
    from retouch.ui.history.compare import ComparePage
    from retouch.ui.main_window import MainWindow
    from retouch.ui.results_view import ResultsView


class Centre:
    def __init__(self, window: MainWindow) -> None:
        self.w = window
        builders = {
            Page.CANVAS: lambda: window.canvas_panel,
            Page.RESULTS: self._build_results,
            Page.COMPARE: self._build_compare,
            Page.HISTORY: self._build_history,
        }
        self.pager = Pages(builders, window)
        self.pager.page(Page.CANVAS)
        self.pager.stack.setCurrentIndex(Page.CANVAS)
        self.widget = QWidget()
        self.widget.setObjectName("centre")
        layout = QVBoxLayout(self.widget)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(self.pager.switch)
        layout.addWidget(self.pager.stack, 1)
        self.pager.clicked.connect(self.show)

    # -- pages built on first use -----------------------------------------------------------

    def _build_results(self) -> ResultsView:
        from retouch.ui.results_view import ResultsView

        w = self.w
        view = ResultsView(w.action_table.result_actions())
        view.before_source = w.tray.first_image
        view.cancelRequested.connect(w.cancel_run)
        view.useAsInput.connect(w.session.use_as_input)
        view.shownChanged.connect(lambda _w: self._compare_if_shown())
        view.picturesChanged.connect(self._compare_if_shown)
        view.message.connect(w.show_message)
        view.currentChanged.connect(w.action_table.update)
        return view

    def _build_compare(self) -> ComparePage:
        from retouch.ui.history.compare import ComparePage

        page = ComparePage()
        page.shownChanged.connect(lambda _which: self._update_compare())
        return page

    def _build_history(self) -> HistoryPanel:
        from retouch.ui.history import HistoryPanel

        w = self.w
        panel = HistoryPanel(w.history)
        panel.set_model_names(w.catalogue.display_name)
        panel.openRequested.connect(w.open_run)
        panel.rerunRequested.connect(lambda run_id: w.open_run(run_id, rerun=True))
        return panel

    @property
    def results(self) -> ResultsView:
        return cast("ResultsView", self.pager.page(Page.RESULTS))

    def results_if_built(self) -> ResultsView | None:
        return cast("ResultsView | None", self.pager.built(Page.RESULTS))

    @property
    def compare_page(self) -> ComparePage:
        return cast("ComparePage", self.pager.page(Page.COMPARE))

    @property
    def history_panel(self) -> HistoryPanel:
        return cast("HistoryPanel", self.pager.page(Page.HISTORY))

    def history_changed(self, store: HistoryStore | None) -> None:
        """Another history (a fresh start), or none (the window closes): the History page,
        if built, shows it."""
        panel = cast("HistoryPanel | None", self.pager.built(Page.HISTORY))
        if panel is not None:
            panel.set_store(store)

    # -- the page shown ---------------------------------------------------------------------

    def show(self, index: int) -> None:
        page = Page(index)
        if page is Page.COMPARE:
            self._update_compare()
        if page is Page.HISTORY and self.w.history is not None:
            self.history_panel.refresh()
        self.pager.show(page)
        self.chain_focus()
        self._focus_page(page)

    def _focus_page(self, page: Page) -> None:
        """The keyboard goes with the page shown: its main view takes the focus."""
        widget = self.pager.built(page)
        target = {
            Page.CANVAS: lambda: self.w.canvas_panel.canvas,
            Page.RESULTS: lambda: self.results.gallery,
            Page.COMPARE: lambda: self.compare_page.view,
            Page.HISTORY: lambda: self.history_panel.list_view,
        }[page]
        focus = QApplication.focusWidget()
        if widget is not None and (
            focus is None or not focus.isVisible() or focus in self.pager.control.buttons
        ):
            target().setFocus(Qt.FocusReason.OtherFocusReason)

    def chain_focus(self) -> None:
        """Tab order as the window reads: the inputs, the page selector, the page shown,
        then the sidebar top to bottom (the parameters before Run)."""
        page = self.pager.built(self.pager.current())
        order = getattr(page, "focus_order", None)
        chain_focus(
            [
                *self.w.tray.focus_order(),
                *self.pager.control.buttons,
                *(order() if callable(order) else focusable_children(page) if page else []),
                *self.w.sidebar.focus_order(),
            ]
        )

    def refresh_history(self) -> None:
        if self.w.history is not None and self.pager.current() is Page.HISTORY:
            self.history_panel.refresh()

    # -- Compare in step with the results ---------------------------------------------------

    def _update_compare(self) -> None:
        built = self.results_if_built()
        page = self.compare_page
        which = page.shown()
        if built is not None:
            built.ensure_pictures(which)  # pictures not decoded yet come with picturesChanged
        page.show_run(
            self.w.tray.first_image(),
            built.images(which) if built is not None else [],
            built.current_row() if built is not None else -1,
            region=built.model_region() if built is not None and which == "model" else None,
        )

    def _compare_if_shown(self) -> None:
        if self.pager.current() is Page.COMPARE:
            self._update_compare()
