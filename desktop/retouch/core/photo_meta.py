"""The original photo's colour profile and metadata, carried over to the saved composite.

``images.py`` gives the rest of the app an upright 8-bit RGB(A) working image and keeps no
metadata; a composite is the designer's photo, so it gets back the original's ICC profile
and EXIF: the orientation tag dropped (the pixels are already upright: a kept tag would turn
the picture a second time), the GPS position dropped when the user asks, and no profile that
does not describe RGB pixels (a CMYK or grey profile on RGB pixels shifts every colour).
"""

from __future__ import annotations

import io
import logging
import warnings
from dataclasses import dataclass, field

from PIL import Image, ImageCms

from retouch.core.i18n import translate

log = logging.getLogger(__name__)

EXIF_ORIENTATION = 0x0112
EXIF_GPS_IFD = 0x8825
_PNG_EXIF_MARKERS = (b"eXIf", b"Raw profile type exif")
OUTPUT_FORMATS = {"png": "PNG", "jpeg": "JPEG", "jpg": "JPEG", "webp": "WEBP"}
JPEG_QUALITY = 95
_JPEG_EXIF_LIMIT = 65_000  # one APP1 segment


def _srgb_bytes() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def _colour_space(icc: bytes) -> str:
    try:
        return ImageCms.ImageCmsProfile(io.BytesIO(icc)).profile.xcolor_space.strip()
    except (OSError, ValueError, TypeError, ImageCms.PyCMSError):
        return ""


def cmyk_to_rgb(img: Image.Image) -> Image.Image:
    """A CMYK image as RGB: through its embedded profile into sRGB where it has one (as
    Photoshop would), else Pillow's plain formula."""
    icc = img.info.get("icc_profile")
    if icc and _colour_space(icc) == "CMYK":
        try:
            converted = ImageCms.profileToProfile(
                img,
                ImageCms.ImageCmsProfile(io.BytesIO(icc)),
                ImageCms.createProfile("sRGB"),
                renderingIntent=ImageCms.Intent.PERCEPTUAL,
                outputMode="RGB",
            )
            if converted is not None:  # None only when converting in place, never here
                return converted
        except (OSError, ValueError, ImageCms.PyCMSError) as exc:
            log.info("CMYK profile not usable (%s); plain conversion", exc)
    return img.convert("RGB")


@dataclass(frozen=True)
class PhotoMeta:
    """What of the original's metadata belongs on its composite."""

    icc_profile: bytes | None  # describes the working (RGB) pixels, or None
    exif: Image.Exif | None = None  # orientation already removed
    source_mode: str = ""
    notes: tuple[str, ...] = field(default=())

    @property
    def has_gps(self) -> bool:
        return self.exif is not None and bool(self.exif.get_ifd(EXIF_GPS_IFD))

    def exif_bytes(self, keep_gps: bool = True) -> bytes | None:
        if self.exif is None:
            return None
        try:
            exif = Image.Exif()
            exif.load(self.exif.tobytes())
            if not keep_gps:
                exif.pop(EXIF_GPS_IFD, None)
            return exif.tobytes() if len(exif) else None
        except Exception:  # odd EXIF never stops a save; it is left off
            log.info("EXIF not written", exc_info=True)
            return None


def read_meta(data: bytes) -> PhotoMeta:
    """Read the profile and EXIF of an image file's bytes; never raises for odd metadata
    (a photo whose metadata cannot be read is saved without it, with a note)."""
    notes: list[str] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            img = Image.open(io.BytesIO(data))
            fmt = (img.format or "").upper()
            if fmt == "PNG" and any(m in data for m in _PNG_EXIF_MARKERS):
                img.load()  # a PNG's eXIf chunk may follow the pixels
            mode = img.mode
            icc = img.info.get("icc_profile") or None
            has_exif = fmt != "PNG" or any(m in data for m in _PNG_EXIF_MARKERS)
            exif = img.getexif() if has_exif else None
    except Exception as exc:  # noqa: BLE001 - metadata is optional, the pixels are not
        log.info("metadata not read: %s", exc)
        return PhotoMeta(None, None, "", ("the original's metadata could not be read",))

    if icc:
        space = _colour_space(icc)
        if mode == "CMYK" and space == "CMYK":
            icc = _srgb_bytes()  # the working pixels were converted through it into sRGB
            notes.append(
                translate("core", "converted from CMYK with its colour profile; saved as sRGB")
            )
        elif space != "RGB":
            icc = None
            notes.append(
                translate(
                    "core",
                    "its {space} colour profile does not describe RGB pixels and was left off",
                ).format(space=space or translate("core", "unreadable"))
            )
    kept: Image.Exif | None = None
    if exif is not None and len(exif):
        kept = Image.Exif()
        try:
            kept.load(exif.tobytes())
        except Exception:  # noqa: BLE001 - damaged EXIF: leave it off rather than fail a save
            kept = None
            notes.append(translate("core", "its EXIF data is damaged and was left off"))
        else:
            kept.pop(EXIF_ORIENTATION, None)
    return PhotoMeta(icc, kept if kept is not None and len(kept) else None, mode, tuple(notes))


@dataclass(frozen=True)
class EncodedImage:
    data: bytes
    fmt: str  # "png", "jpeg", "webp"
    notes: tuple[str, ...] = ()


def encode_composite(
    image: Image.Image,
    fmt: str,
    meta: PhotoMeta | None = None,
    *,
    keep_gps: bool = True,
) -> EncodedImage:
    """Encode *image* as *fmt* (png, jpeg, webp) with the original's profile and EXIF;
    lossless where the format can be (PNG, WebP), JPEG at quality 95 without chroma
    subsampling."""
    key = fmt.lower()
    pil_fmt = OUTPUT_FORMATS.get(key)
    if pil_fmt is None:
        from retouch.core.errors import ValidationError

        raise ValidationError(
            "output_format", f"'{fmt}' is not png, jpeg or webp.", ["png", "jpeg", "webp"]
        )
    notes: list[str] = []
    options: dict[str, object] = {}
    if meta is not None:
        if meta.icc_profile:
            options["icc_profile"] = meta.icc_profile
        exif = meta.exif_bytes(keep_gps)
        if exif and pil_fmt == "JPEG" and len(exif) > _JPEG_EXIF_LIMIT:
            notes.append(
                translate("core", "the EXIF data is too large for a JPEG and was left off")
            )
        elif exif:
            options["exif"] = exif
        elif meta.exif is not None:
            notes.append(
                translate("core", "the original's EXIF data could not be written and was left off")
            )
    if pil_fmt == "JPEG":
        if image.mode == "RGBA":
            flat = Image.new("RGB", image.size, (255, 255, 255))
            flat.paste(image, mask=image.getchannel("A"))
            image = flat
            notes.append(
                translate(
                    "core", "JPEG has no transparency: transparent areas were filled with white"
                )
            )
        elif image.mode != "RGB":
            image = image.convert("RGB")
        options.update(quality=JPEG_QUALITY, subsampling=0)
    elif pil_fmt == "PNG":
        # Level 3: a 6000×4000 photo in ~3 s (level 6 took ~8 s, for no smaller file).
        options.update(compress_level=3)
    else:
        # Lossless at the fastest effort: ~2.5 s for 6000×4000 (method 3 took ~25 s).
        options.update(lossless=True, quality=0, method=0, exact=True)
    buf = io.BytesIO()
    image.save(buf, format=pil_fmt, **options)
    return EncodedImage(buf.getvalue(), "jpeg" if pil_fmt == "JPEG" else key, tuple(notes))
