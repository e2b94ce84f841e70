"""Open local images safely and turn them into bytes the model can take.

Pillow does the format detection and enforces the decompression-bomb limit; everything
that is not a plain 8-bit RGB(A) picture is normalised here so the rest of the app never
meets CMYK, 16-bit, palette or rotated images.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from retouch.core.errors import InputError
from retouch.core.i18n import translate
from retouch.core.schema import MAX_EDGE

# Refuse anything over ~180 MP: far beyond any model input, small enough to decode safely.
MAX_PIXELS = 180_000_000
MAX_FILE_BYTES = 150 * 1024 * 1024
SUPPORTED_FORMATS = {"PNG", "JPEG", "WEBP", "GIF", "BMP", "TIFF", "MPO"}
PASSTHROUGH_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
_UNSUPPORTED_HINTS = {
    ".heic": "HEIC",
    ".heif": "HEIF",
    ".avif": "AVIF",
    ".svg": "SVG",
    ".svgz": "SVG",
    ".psd": "Photoshop",
    ".pdf": "PDF",
    ".raw": "camera RAW",
    ".cr2": "camera RAW",
    ".nef": "camera RAW",
    ".dng": "camera RAW",
}
_EXIF_ORIENTATION = 0x0112
# Where Pillow's getexif() finds an orientation in a PNG: an eXIf chunk, ImageMagick's raw
# EXIF text chunk, XMP. The chunk type / keyword is never compressed.
_PNG_ORIENTATION_MARKERS = (b"eXIf", b"Raw profile type exif", b"XML:com.adobe.xmp")


@dataclass
class LoadedImage:
    """A decoded, normalised image plus what the user should know about it."""

    image: Image.Image  # RGB or RGBA, upright
    name: str
    source_format: str
    original_size: tuple[int, int]
    data: bytes  # the file as read, for hashing and pass-through
    notes: list[str] = field(default_factory=list)
    passthrough_mime: str | None = None  # set when ``data`` can be sent as it is

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def size(self) -> tuple[int, int]:
        return self.image.size


def read_file(path: str | Path, name: str | None = None) -> bytes:
    """The file's bytes; InputError naming it *name* (default: its file name) otherwise."""
    p = Path(path)
    name = name or p.name
    if p.is_dir():
        raise InputError(f"'{name}' is a folder, not an image. Drop the image files themselves.")
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise InputError(f"'{name}' no longer exists. It may have been moved or deleted.") from None
    except OSError as exc:
        raise InputError(f"'{name}' cannot be read: {exc.strerror or exc}.") from None
    if size == 0:
        raise InputError(f"'{name}' is empty (0 bytes).")
    if size > MAX_FILE_BYTES:
        raise InputError(
            f"'{name}' is {size / 1e6:.0f} MB; images up to {MAX_FILE_BYTES / 1e6:.0f} MB "
            "can be used. Export a smaller copy."
        )
    try:
        return p.read_bytes()
    except PermissionError:
        raise InputError(f"'{name}' cannot be read: permission denied.") from None
    except OSError as exc:
        raise InputError(f"'{name}' cannot be read: {exc.strerror or exc}.") from None


def unsupported_hint(name: str) -> str | None:
    """The format a file name says it is, when Retouch does not read it ("HEIC", "SVG" …)."""
    return _UNSUPPORTED_HINTS.get(Path(name).suffix.lower())


def load_image(
    path: str | Path, *, check_only: bool = False, draft: tuple[int, int] | None = None
) -> LoadedImage:
    p = Path(path)
    hint = unsupported_hint(p.name)
    data = read_file(p)
    return decode_image(data, p.name, unsupported_hint=hint, check_only=check_only, draft=draft)


def decode_image(
    data: bytes,
    name: str,
    unsupported_hint: str | None = None,
    *,
    check_only: bool = False,
    draft: tuple[int, int] | None = None,
) -> LoadedImage:
    """Decode *data*; raise InputError with a clear reason for anything unusable.

    ``check_only``: prove the file is complete without keeping its pixels; ``image`` is then
    decoded by Pillow on first use (never, when the file is sent as it is). ``draft``: a JPEG
    is decoded at the smallest DCT scale still at least this size (for thumbnails), so
    ``image`` may be smaller than ``original_size``.
    """
    if data[:5] == b"<?xml" or b"<svg" in data[:512]:
        unsupported_hint = "SVG"
    with pillow_errors(name, unsupported_hint):
        img: Image.Image = Image.open(io.BytesIO(data))
        fmt = (img.format or "").upper()
        width, height = img.size
        if width * height > MAX_PIXELS:
            raise InputError(
                f"'{name}' is {width}×{height} pixels, too large to open safely "
                f"(limit {MAX_PIXELS // 1_000_000} megapixels)."
            )
        if fmt not in SUPPORTED_FORMATS:
            raise InputError(
                f"'{name}' is a {fmt or 'unknown'} image, which Retouch does not support. "
                "Use PNG, JPEG or WebP."
            )
        notes: list[str] = []
        frames = getattr(img, "n_frames", 1)
        if frames > 1 and fmt != "MPO":
            notes.append(
                translate("core", "animated ({frames} frames): the first frame is used").format(
                    frames=frames
                )
            )
        if fmt == "PNG" and not any(m in data for m in _PNG_ORIENTATION_MARKERS):
            # PNG's getexif() decodes the whole image to look for orientation stored after
            # the pixels; when no chunk that could hold one is in the file, there is none.
            exif_rotated = False
        else:
            exif_rotated = img.getexif().get(_EXIF_ORIENTATION, 1) not in (1, None)
        if draft is not None and fmt == "JPEG":
            img.draft(img.mode, draft)
        if check_only:
            _check_complete(img, data, fmt)
        else:
            img.load()
    source_mode = img.mode
    passthrough = (
        PASSTHROUGH_FORMATS.get(fmt)
        if frames == 1
        and not exif_rotated
        and max(img.size) <= MAX_EDGE
        and source_mode in ("RGB", "RGBA", "L")
        else None
    )
    with pillow_errors(name, unsupported_hint):
        # Rotating and converting decode the pixels: a file that fails only here is
        # refused like one that fails to open.
        if exif_rotated:
            img = ImageOps.exif_transpose(img)
            notes.append(translate("core", "rotated upright from its EXIF orientation"))
        img = normalise_mode(img)
    if source_mode in ("CMYK", "I;16", "I;16B", "I;16L", "I", "F"):
        notes.append(
            translate("core", "converted from {mode} to 8-bit RGB").format(mode=source_mode)
        )
    return LoadedImage(
        image=img,
        name=name,
        source_format=fmt,
        original_size=(width, height),
        data=data,
        notes=notes,
        passthrough_mime=passthrough,
    )


def _check_complete(img: Image.Image, data: bytes, fmt: str) -> None:
    """Raise (as Pillow does on a bad decode) unless *data* is complete and undamaged, doing
    less than a full decode where the format allows; *img* itself is left undecoded."""
    if fmt == "PNG":
        # Every chunk's CRC up to IEND: stricter than a decode (which misses a cut IEND) at a
        # tenth of its cost. verify() spends the image object, hence a second one.
        Image.open(io.BytesIO(data)).verify()
    elif fmt == "JPEG":
        # Decoding at 1/8 scale still reads every entropy-coded byte, so a truncated file
        # fails the same way, but skips most of the inverse DCT.
        probe = Image.open(io.BytesIO(data))
        probe.draft(probe.mode, (max(1, probe.width // 8), max(1, probe.height // 8)))
        probe.load()
    else:
        img.load()


def normalise_mode(img: Image.Image) -> Image.Image:
    """Return an 8-bit RGB or RGBA image, whatever came in."""
    mode = img.mode
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        # 16-bit greyscale, either byte order: scale to 8 bits rather than clipping
        # everything to white. (Pillow's point() works on "I", not on the raw 16-bit modes.)
        if mode != "I":
            img = img.convert("I")
        img = img.point(lambda v: v / 257).convert("L")
        return img.convert("RGB")
    if "transparency" in img.info and mode in ("1", "L", "RGB", "P"):
        # A tRNS colour becomes real alpha; left as a colour key it cannot be re-encoded
        # (Pillow refuses an RGB key that is a single number, as some files carry).
        out = img.convert("RGBA")
        out.info.pop("transparency", None)
        return out
    if mode in ("RGB", "RGBA"):
        return img
    if mode == "F":
        return img.convert("L").convert("RGB")
    if mode == "P":
        return img.convert("RGB")
    if mode in ("LA", "PA", "La", "RGBa"):
        return img.convert("RGBA")
    if mode == "CMYK":
        from retouch.core.photo_meta import cmyk_to_rgb  # through its ICC profile, if any

        return cmyk_to_rgb(img)
    return img.convert("RGBA" if "A" in mode else "RGB")


def fit_within(img: Image.Image, max_edge: int = MAX_EDGE) -> Image.Image:
    if max(img.size) <= max_edge:
        return img
    scale = max_edge / max(img.size)
    size = (max(1, round(img.width * scale)), max(1, round(img.height * scale)))
    return img.resize(size, Image.Resampling.LANCZOS)


def encode_png(img: Image.Image, compress_level: int = 3) -> bytes:
    # Level 3 is ~3× faster than Pillow's default 6 on 4K frames for ~10 % more bytes.
    buf = io.BytesIO()
    img.save(buf, format="PNG", compress_level=compress_level)
    return buf.getvalue()


def prepared_bytes(loaded: LoadedImage, max_edge: int = MAX_EDGE) -> tuple[bytes, str]:
    """Bytes and MIME type to send for an input: the file itself when it already fits.

    InputError if the pixels cannot be decoded or re-encoded (a lazily decoded file can
    first fail here)."""
    if loaded.passthrough_mime and max(loaded.size) <= max_edge:
        return loaded.data, loaded.passthrough_mime
    with pillow_errors(loaded.name):
        return encode_png(fit_within(loaded.image, max_edge)), "image/png"


@contextmanager
def pillow_errors(name: str, unsupported_hint: str | None = None) -> Iterator[None]:
    """Every failure of Pillow on a file becomes an InputError with a plain reason.

    Pillow's decoders raise whatever their format's code happens to raise on a malformed
    file (OSError, SyntaxError, IndexError, struct.error, NotImplementedError for variants
    it does not implement, …): at this one boundary they all mean "this file cannot be used",
    never a traceback.
    """
    try:
        with warnings.catch_warnings():
            # Pillow warns from ~89 MP; MAX_PIXELS is the app's limit. Pillow still raises
            # DecompressionBombError (at ~179 MP) before anything is decoded. Its notes on odd
            # files ("Invalid APNG", "Corrupt EXIF data") are not for the user's console.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            warnings.simplefilter("ignore", UserWarning)
            warnings.simplefilter("ignore", DeprecationWarning)  # a format Pillow will drop
            yield
    except InputError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InputError(
            f"'{name}' declares an enormous size and was refused as unsafe to open."
        ) from None
    except UnidentifiedImageError:
        if unsupported_hint:
            raise InputError(
                f"'{name}' is a {unsupported_hint} file, which Retouch does not support. "
                "Export it as PNG, JPEG or WebP first."
            ) from None
        raise InputError(f"'{name}' is not an image Retouch can read.") from None
    except NotImplementedError as exc:
        raise InputError(
            f"'{name}' uses a variant of its image format that Retouch cannot read "
            f"({_short(exc)}). Export it as PNG, JPEG or WebP first."
        ) from None
    except MemoryError:
        raise InputError(f"'{name}' is too large to open.") from None
    except Exception as exc:  # noqa: BLE001 - see the docstring
        raise InputError(
            f"'{name}' is damaged or incomplete and cannot be opened ({_short(exc)})."
        ) from None


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 160 else text[:159] + "…"


def sniff_image(data: bytes) -> str | None:
    """Return the lower-case format name ('png', 'jpeg', 'webp', …) if *data* is an image."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
            fmt = (img.format or "").lower()
            # Not verify() alone: it passes truncated JPEGs. See _check_complete.
            _check_complete(img, data, fmt.upper())
    except Exception:  # noqa: BLE001 - any decoder failure means "not an image"
        return None
    return fmt or None
