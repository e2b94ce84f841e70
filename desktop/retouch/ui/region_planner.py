"""Keeps the editor state's plan current: what Run would send, at what size and price.

The plan (``core.placement.plan_request``) depends on the photo's size, the painted area's
bounding box, the model and its size parameters, and the placement choices. The bounding box
is the costly part on a big photo, so it is found off the UI thread: when the mask changes
(once per finished stroke, not per dab), after a short pause, the painted area's known
bounds (``MaskLayer.bounds``, kept up to date as edits land) are copied and scanned on a pool
thread for pixels the run would count as "edit" (≥ 128, the same threshold as
``region.prepare_mask``). A change of parameters or placement re-plans from the box already
found. Results of a scan overtaken by a newer change are dropped.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QRect, QTimer
from PySide6.QtGui import QImage

from retouch.core import errors as E
from retouch.ui.i18n import translate
from retouch.ui.tasks import TaskContext, run_task

if TYPE_CHECKING:
    from retouch.core.region import EditPlan
    from retouch.core.schema import ModelInfo
    from retouch.ui.canvas import MaskCanvas
    from retouch.ui.editor import EditorModel, Placement

#: Wait this long after the last change before planning (a burst of changes plans once).
DEBOUNCE_MS = 120
_EDIT = bytes(0 if v < 128 else 1 for v in range(256))  # the run's threshold: >= 128 edits


@dataclass(frozen=True)
class _Snapshot:
    """What a plan is made from, taken on the UI thread."""

    size: tuple[int, int]
    mask: QImage | None  # a copy of the painted area's bounds (None: no mask painted)
    origin: tuple[int, int]  # where that copy sits in the photo
    model: ModelInfo
    params: dict[str, Any]
    placement: Placement


def painted_box(mask: QImage, origin: tuple[int, int]) -> tuple[int, int, int, int] | None:
    """(x, y, w, h) in photo pixels of the pixels a run edits (≥ 128) in *mask* (a copy of
    the mask layer's pixels whose alpha is the mask) placed at *origin*; None if there are
    none."""
    alpha = mask.convertToFormat(QImage.Format.Format_Alpha8)
    width, stride = alpha.width(), alpha.bytesPerLine()
    data = bytes(alpha.constBits())
    top = bottom = -1
    left, right = width, -1
    for y in range(alpha.height()):
        row = data[y * stride : y * stride + width].translate(_EDIT)
        first = row.find(1)
        if first < 0:
            continue
        if top < 0:
            top = y
        bottom = y
        left = min(left, first)
        right = max(right, row.rfind(1))
    if top < 0:
        return None
    return (origin[0] + left, origin[1] + top, right - left + 1, bottom - top + 1)


def _scan_and_plan(
    snap: _Snapshot, box: tuple[int, int, int, int] | None, scan: bool, _ctx: TaskContext
) -> tuple[EditPlan, tuple[int, int, int, int] | None]:
    from retouch.core.placement import plan_request
    from retouch.core.region import Rect

    if scan:
        box = painted_box(snap.mask, snap.origin) if snap.mask is not None else None
        if snap.mask is not None and box is None:
            raise E.InputError(
                translate(
                    "RegionPlanner",
                    "The mask is all black, so it keeps the whole image and there is nothing "
                    "to edit. Paint the area to change in white, or remove the mask to edit "
                    "the whole image.",
                )
            )
    plan = plan_request(
        snap.size,
        None,
        snap.model,
        snap.params,
        snap.placement.options(),
        mask_box=Rect(*box) if box is not None else None,
    )
    return plan, box


class RegionPlanner(QObject):
    """Plans on every change of the mask, image, parameters or placement (debounced)."""

    def __init__(self, state: EditorModel, canvas: MaskCanvas, parent: QObject | None = None):
        super().__init__(parent)
        self._state = state
        self._canvas = canvas
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._timer.timeout.connect(self._plan)
        self._mask_dirty = True  # the painted box must be found again
        self._box: tuple[int, int, int, int] | None = None
        self._generation = 0
        self._in_flight = 0
        canvas.maskChanged.connect(self._mask_changed)
        canvas.imageChanged.connect(self._mask_changed)
        for signal in (state.modelChanged, state.paramsChanged, state.placementChanged):
            signal.connect(self.schedule)

    @property
    def pending(self) -> bool:
        """A plan is due or being made (tests wait for this to clear)."""
        return self._timer.isActive() or self._in_flight > 0

    def _mask_changed(self) -> None:
        self._mask_dirty = True
        self.schedule()

    def schedule(self, *_args: object) -> None:
        self._generation += 1  # whatever is in flight is stale now
        self._timer.start()

    def _plan(self) -> None:
        canvas, state = self._canvas, self._state
        image = canvas.image()
        if image is None:
            state.set_plan(None)
            return
        scan = self._mask_dirty
        mask: QImage | None = None
        origin = (0, 0)
        layer = canvas.mask_layer()
        if scan and layer is not None and not canvas.is_mask_empty():
            bounds = layer.bounds().intersected(QRect(0, 0, image.width(), image.height()))
            if not bounds.isEmpty():
                mask = layer.image().copy(bounds)  # one copy of the painted area only
                origin = (bounds.x(), bounds.y())
        snap = _Snapshot(
            (image.width(), image.height()),
            mask,
            origin,
            state.model,
            state.params,
            state.placement,
        )
        generation = self._generation
        self._in_flight += 1
        run_task(
            functools.partial(_scan_and_plan, snap, self._box, scan),
            receiver=self,
            name="plan region",
            on_result=functools.partial(self._planned, generation, scan),
            on_error=functools.partial(self._failed, generation, scan),
        )

    def _planned(
        self,
        generation: int,
        scanned: bool,
        result: tuple[EditPlan, tuple[int, int, int, int] | None],
    ) -> None:
        self._in_flight -= 1
        if generation != self._generation:
            return  # overtaken by a newer change, which plans again
        plan, box = result
        if scanned:
            self._box, self._mask_dirty = box, False
        self._state.set_plan(plan)

    def _failed(self, generation: int, scanned: bool, exc: BaseException) -> None:
        self._in_flight -= 1
        if generation != self._generation:
            return
        if scanned:
            self._mask_dirty = True  # scan again next time
        message = exc.message if isinstance(exc, E.RetouchError) else str(exc)
        self._state.set_plan(None, message)
