"""Undo commands for the mask. Each stores only what it needs to flip between states."""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand, QUndoStack

from .mask_layer import MaskLayer
from .snapshots import RegionEdit


class MaskCommand(QUndoCommand):
    """Base: knows its stored byte count; pushed *after* the change was made, so the first
    ``redo()`` (which QUndoStack.push calls) is skipped."""

    def __init__(self, layer: MaskLayer, text: str) -> None:
        super().__init__(text)
        self._layer = layer
        self._applied = True

    @property
    def nbytes(self) -> int:
        return 0


class RegionCommand(MaskCommand):
    """A stroke, shape or whole-mask change: before/after pixels of the changed rect only."""

    def __init__(self, layer: MaskLayer, edit: RegionEdit, text: str) -> None:
        super().__init__(layer, text)
        self._edit = edit

    @property
    def nbytes(self) -> int:
        return self._edit.nbytes

    def undo(self) -> None:
        self._layer.restore(self._edit.before)
        self._applied = False

    def redo(self) -> None:
        if self._applied:
            return
        self._layer.restore(self._edit.after)
        self._applied = True


class InvertCommand(MaskCommand):
    """Invert is exactly self-inverse, so undo and redo both just invert: no pixels stored."""

    def undo(self) -> None:
        self._layer.cancel_edit()
        self._layer.invert()
        self._applied = False

    def redo(self) -> None:
        if self._applied:
            return
        self._layer.cancel_edit()
        self._layer.invert()
        self._applied = True


def stack_memory_bytes(stack: QUndoStack) -> int:
    """Pixel bytes held by every command on *stack* (undone ones included: they're redoable)."""
    total = 0
    for i in range(stack.count()):
        cmd = stack.command(i)
        if isinstance(cmd, MaskCommand):
            total += cmd.nbytes
    return total
