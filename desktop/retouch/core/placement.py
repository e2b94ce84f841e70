"""Issue 12's edit step: the designer's photo goes in, the designer's photo comes back.

:class:`PlacementStep` wraps the model call (an ``edit_service.EditStep``)::

    before:  read the first input (upright, full resolution) and its metadata, plan the region
             (``region.plan_edit``), cut what is sent (``region.crop_for_request``: exactly the
             requested output size, with its mask), set the request's size parameters
    after:   each result is placed back into the photo at full resolution
             (``pasteback.paste_back``) and encoded with the original's ICC profile and EXIF
             (``photo_meta.encode_composite``); the model's own picture is kept beside it

References (the other inputs) go as they are. Resolution and aspect come from the request's
parameters, where ``"auto"`` (or leaving them out) means Auto: the smallest supported size
that gives the region its own pixels, within the standard price tier unless
``allow_high_res``. :func:`plan_request` makes the same plan without running anything, so
the size and its price are known before Run.

Everything here blocks and runs on the edit's worker thread.
"""

from __future__ import annotations

import hashlib
import io
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from retouch.core import errors as E
from retouch.core.cancel import CancelToken
from retouch.core.edit_service import EditStep
from retouch.core.editing import Progress, ProgressFn, TransformedResult
from retouch.core.i18n import translate
from retouch.core.placement_options import (
    OUTPUTS,
    PlacementOptions,
    options_from_record,
    parse_region,
)
from retouch.core.request import EditRequest, InputRef
from retouch.core.schema import ModelInfo, image_count
from retouch.core.sizes import split_size_params

if TYPE_CHECKING:
    from PIL import Image

    from retouch.core.history import RunRecord
    from retouch.core.images import LoadedImage
    from retouch.core.photo_meta import PhotoMeta
    from retouch.core.region import EditPlan, Rect


def plan_request(
    photo_size: tuple[int, int],
    mask: Image.Image | None,
    model: ModelInfo,
    params: dict[str, Any],
    options: PlacementOptions | None = None,
    *,
    mask_box: Rect | None = None,
) -> EditPlan:
    """The plan an edit of a *photo_size* photo with *mask* and *params* would run: its
    region, output size and price, before anything is sent (InputError/ValidationError with
    a message for the user when it cannot run). *mask_box* instead of *mask*: the painted
    area's bounding box, as the window keeps it while painting."""
    from retouch.core.region import plan_edit

    options = options or PlacementOptions()
    rest, resolution, aspect = split_size_params(model, params)
    return plan_edit(
        photo_size,
        mask,
        model,
        region=options.region,
        resolution=resolution,
        aspect=aspect,
        allow_high_res=options.allow_high_res,
        feather=options.feather,
        params=rest,
        mask_box=mask_box,
    )


def read_mask_file(path: str | Path) -> Image.Image:
    """A mask file as an image (any mode; ``region.prepare_mask`` reads it)."""
    from PIL import Image

    from retouch.core.images import read_file

    data = read_file(path)
    try:
        img = Image.open(io.BytesIO(data))
        img.load()
    except Exception:  # noqa: BLE001 - every decoder failure gets one plain message
        raise E.InputError(f"The mask '{path}' is not an image Retouch can read.") from None
    return img


def load_mask(request: EditRequest) -> Image.Image | None:
    """The request's mask as an image (the painted one, or its file), or None."""
    if request.mask_image is not None:
        return request.mask_image
    if request.mask_path is None:
        return None
    return read_mask_file(request.mask_path)


def _read_input(ref: InputRef) -> bytes | None:
    if ref.data is not None:
        return ref.data
    if ref.path is not None:
        from retouch.core.images import read_file

        return read_file(ref.path)
    return None  # a link the user gave: no pixels here


def _output_ext(fmt: str) -> str:
    return "jpg" if fmt == "jpeg" else fmt


class PlacementStep(EditStep):
    """Plan → crop → send → place each result back (see the module docstring).

    One instance serves one run. ``plan`` is set once ``before`` has run.
    """

    def __init__(self, options: PlacementOptions | None = None) -> None:
        self.options = options or PlacementOptions()
        self.plan: EditPlan | None = None
        self._progress: ProgressFn = lambda _p: None
        self._cancel = CancelToken()
        self._photo_bytes = b""
        self._photo_name = ""
        self._photo: Image.Image | None = None  # decoded again for the results, then kept
        self._mask: Image.Image | None = None  # 0/255 'L' at the photo's size
        self._meta: PhotoMeta | None = None
        self._format = "png"
        self._count = 1

    def bind(self, progress: ProgressFn, cancel: CancelToken) -> None:
        self._progress = progress
        self._cancel = cancel

    def _say(self, message: str, done: int = 0, total: int = 0, phase: str = "preparing") -> None:
        self._progress(Progress(phase, message, done, total, time.monotonic()))

    # -- before: plan and cut ------------------------------------------------------------------

    def before(self, request: EditRequest) -> EditRequest:
        from retouch.core.images import decode_image, encode_png
        from retouch.core.photo_meta import read_meta
        from retouch.core.region import crop_for_request, prepare_mask

        if not request.inputs:
            return request  # prepare_edit says "Add at least one image"
        model = request.model
        rest = split_size_params(model, request.params)[0]
        first = request.inputs[0]
        data = _read_input(first)
        if data is None:
            # A link: the model fetches it itself, so there is nothing here to cut or to
            # place results into. The model's own size choice applies.
            return replace(
                request,
                params=rest,
                notes=[
                    *request.notes,
                    f"{first.label} is a link: it is sent as it is and results are the "
                    "model's pictures, not placed back into it",
                ],
            )
        self._say("Reading the photo…")
        loaded: LoadedImage = decode_image(data, first.label)
        photo = loaded.image
        self._cancel.raise_if_cancelled()
        mask_image = load_mask(request)
        binary = prepare_mask(mask_image, photo.size)  # InputError: all black, other shape
        self._say("Planning the region…")
        plan = plan_request(photo.size, binary, model, request.params, self.options)
        self._cancel.raise_if_cancelled()
        self._say("Cutting out the region to send…")
        sent, sent_mask = crop_for_request(photo, plan, binary)
        sent_png = encode_png(sent)
        recorded_mask = encode_png(binary, compress_level=6) if binary is not None else None
        meta = read_meta(data)

        self.plan = plan
        self._photo_bytes, self._photo_name = data, first.label
        self._mask, self._meta = binary, meta
        self._count = image_count(request.params)
        fmt = str(rest.get("output_format") or "").lower()
        self._format = fmt if fmt in ("png", "jpeg", "webp") else ""
        # The photo's pixels are decoded again for the results rather than held while the
        # model works (minutes, and a batch runs several edits at once).
        del photo, sent

        placement = {
            "photo": {
                "name": first.label,
                "size": list(plan.photo_size),
                "sha256": hashlib.sha256(data).hexdigest(),
            },
            "plan": plan.to_dict(),
            "options": self.options.to_dict(),
            "price": {"tier": plan.price.tier, "dollars": plan.price.dollars},
        }
        notes = [*request.notes]
        notes += [f"{first.label}: {n}" for n in (*loaded.notes, *plan.notes, *meta.notes)]
        return replace(
            request,
            inputs=[
                InputRef(data=sent_png, name=first.label, recorded=data),
                *request.inputs[1:],
            ],
            params={**rest, **plan.params},
            mask_image=sent_mask,
            mask_path=None,
            recorded_mask=recorded_mask,
            placement=placement,
            notes=notes,
        )

    # -- after: place each result back -------------------------------------------------------------

    def _original(self) -> Image.Image:
        if self._photo is None:
            from retouch.core.images import decode_image

            self._photo = decode_image(self._photo_bytes, self._photo_name).image
        return self._photo

    def after_result(self, result: TransformedResult, index: int) -> TransformedResult:
        plan = self.plan
        if plan is None:  # before() found a link: nothing to place into
            return result
        from PIL import Image

        from retouch.core.pasteback import paste_back
        from retouch.core.photo_meta import encode_composite

        total = max(self._count, index + 1)
        self._say(f"Placing result {index + 1} of {total} into the photo…", index, total, "placing")
        raw = result.data
        opts = self.options
        try:
            with Image.open(io.BytesIO(raw)) as opened:
                opened.load()
                model_format = (opened.format or "png").lower()
                output = opened.copy()
            pasted = paste_back(
                self._original(),
                output,
                plan,
                self._mask,
                feather=opts.feather,
                color_match=opts.color_match,
                scale_to_original=opts.scale_to_original,
            )
        except E.InputError as exc:  # a picture of another shape: keep it as it came
            result.info = {"placed": False, "reason": exc.message}
            result.notes.append(exc.message)
            return result
        except (OSError, ValueError, Image.DecompressionBombError) as exc:
            result.info = {"placed": False, "reason": f"not readable ({type(exc).__name__})"}
            result.notes.append(
                translate("core", "the model's picture could not be read; it is kept as it came")
            )
            return result
        fmt = self._format or model_format
        fmt = fmt if fmt in ("png", "jpeg", "webp") else "png"
        encoded = encode_composite(pasted.image, fmt, self._meta, keep_gps=opts.keep_gps)
        info = {
            "placed": True,
            **pasted.record(),
            "size": list(pasted.image.size),
            "model_size": list(output.size),
            "region": list(plan.region.box),  # where the model's picture lies in the photo
            "saved": opts.output,
        }
        if pasted.notes or encoded.notes:
            info["notes"] = [*pasted.notes, *encoded.notes]
        result.info = info
        result.notes.extend(pasted.notes)
        result.notes.extend(encoded.notes)
        result.model_output = raw
        if opts.output == "model":
            result.recorded, result.recorded_ext = encoded.data, _output_ext(encoded.fmt)
        else:
            result.data = encoded.data
        return result


def _comparable(plan: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in plan.items() if k != "auto_resolution"}


def resume_step(run: RunRecord, model: ModelInfo) -> PlacementStep | None:
    """A step that places the results of *run* — a queued run an earlier session started —
    back into its photo, rebuilt from its record (the photo and mask history kept, the
    options it was placed with); None when the run was not placed or cannot be rebuilt
    exactly (its results are then kept as the model made them)."""
    placement = run.placement
    if not isinstance(placement, dict) or not run.input_paths:
        return None
    recorded = placement.get("plan")
    if not isinstance(recorded, dict):
        return None
    step = PlacementStep(options_from_record(placement.get("options")))
    request = EditRequest(
        run.prompt,
        [InputRef(path=run.input_paths[0], name=run.input_names[0] if run.input_names else "")],
        model,
        dict(run.params),
        mask_path=run.mask_path,
    )
    try:
        step.before(request)
    except E.RetouchError:
        return None
    if step.plan is None or _comparable(step.plan.to_dict()) != _comparable(recorded):
        return None
    return step


__all__ = [
    "OUTPUTS",
    "PlacementOptions",
    "PlacementStep",
    "load_mask",
    "options_from_record",
    "parse_region",
    "plan_request",
    "read_mask_file",
    "resume_step",
    "split_size_params",
]
