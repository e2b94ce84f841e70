"""The fault matrix: every hub fault, network failure and bad input tried, and what happens.

Each case runs for real — loopback HTTP against ``retouch.fakehub`` (never a patched httpx),
real files on disk — and asserts the exception type, a fragment of the message the user
sees, and what the server received (an edit POST that may have been billed is sent once,
and nothing at all is sent when the problem is local).

``tests/README.md``'s table is generated from ``CASES``; ``test_readme_table_is_current``
fails when the two drift apart. Print a fresh table with
``.venv/bin/python tests/core/test_core_fault_matrix.py``.
"""

from __future__ import annotations

import base64
import io
import os
import socket
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from retouch.core import errors as E
from retouch.core.editing import EditRunner, RunOutcome, prepare_edit
from retouch.core.hub_client import HubClient
from retouch.core.images import LoadedImage, load_image
from retouch.core.presets import PresetError
from retouch.core.request import EditRequest, InputRef
from retouch.core.schema import BUILTIN_MODELS, ModelInfo, builtin_model, model_info
from tests.core.hostile_hub import HostileHub

KEY = "test-key"
README = Path(__file__).resolve().parents[1] / "README.md"
BEGIN, END = "<!-- fault-matrix:begin -->", "<!-- fault-matrix:end -->"


# ---------------------------------------------------------------------------------------
# Helpers


@dataclass
class Ctx:
    tmp: Path
    hub: Any = None  # retouch.fakehub.FakeHub, when the case needs one
    monkeypatch: pytest.MonkeyPatch | None = None
    clients: list[HubClient] = field(default_factory=list)
    notes: dict[str, Any] = field(default_factory=dict)
    hostile: Any = None  # tests/core/hostile_hub.HostileHub, for replies the fake hub lacks

    def client(self, key: str = KEY, **kw: Any) -> HubClient:
        c = HubClient(self.hub.base_url, key, **kw)
        self.clients.append(c)
        return c

    def close(self) -> None:
        for c in self.clients:
            c.close()


def image_bytes(
    size: tuple[int, int] = (64, 48),
    fmt: str = "PNG",
    mode: str = "RGB",
    color: Any = (200, 40, 40),
    **save: Any,
) -> bytes:
    buf = io.BytesIO()
    Image.new(mode, size, color).save(buf, fmt, **save)
    return buf.getvalue()


def write(ctx: Ctx, name: str, data: bytes) -> Path:
    path = ctx.tmp / name
    path.write_bytes(data)
    return path


def photo(ctx: Ctx, name: str = "photo.png", size: tuple[int, int] = (64, 48)) -> Path:
    return write(ctx, name, image_bytes(size))


def data_uri(data: bytes, mime: str = "image/png") -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def run_edit(
    ctx: Ctx,
    *,
    prompt: str = "make the sky purple",
    params: dict[str, Any] | None = None,
    inputs: list[InputRef] | None = None,
    mask_path: Path | None = None,
    model: ModelInfo | None = None,
    key: str = KEY,
    client: HubClient | None = None,
) -> RunOutcome:
    """The app's whole edit path: validate, encode, send, download, save."""
    client = client or ctx.client(key)
    model = model or builtin_model()
    assert model is not None
    inputs = inputs if inputs is not None else [InputRef(path=photo(ctx))]
    all_params = {"resolution": "1024x768", **(params or {})}
    request = EditRequest(prompt, inputs, model, all_params, mask_path=mask_path)
    prepared = prepare_edit(request)
    return EditRunner(client, ctx.tmp / "out").run(prepared)


def edit_body(**extra: Any) -> dict[str, Any]:
    return {
        "model": "gpt-image-2-edit",
        "prompt": "make the sky purple",
        "input_image": data_uri(image_bytes()),
        "resolution": "1024x768",
        **extra,
    }


def fault(ctx: Ctx, kind: str, **kw: Any) -> None:
    from retouch.fakehub import Fault

    ctx.hub.add_fault(Fault(kind, **kw))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def downloads(ctx: Ctx) -> list[Any]:
    return [r for r in ctx.hub.requests if r.method == "GET" and r.path.startswith("/results/")]


# --- checks shared by many cases ---------------------------------------------------------


def sent_once(ctx: Ctx, _result: Any) -> None:
    edits = ctx.hub.edit_requests()
    assert len(edits) == 1, f"the edit POST was sent {len(edits)} times"


def nothing_sent(ctx: Ctx, _result: Any) -> None:
    if ctx.hub is not None:
        assert ctx.hub.requests == [], [(r.method, r.path) for r in ctx.hub.requests]


def loaded_ok(ctx: Ctx, result: Any) -> None:
    assert isinstance(result, LoadedImage)
    assert result.image.mode in ("RGB", "RGBA")


def all_of(*checks: Callable[[Ctx, Any], None]) -> Callable[[Ctx, Any], None]:
    def check(ctx: Ctx, result: Any) -> None:
        for c in checks:
            c(ctx, result)

    return check


# ---------------------------------------------------------------------------------------
# The cases


@dataclass(frozen=True)
class Case:
    id: str
    area: str
    tried: str
    error: type[E.RetouchError] | None  # None: the run succeeds
    says: str  # a fragment of the user's message; for successes, what is observed
    run: Callable[[Ctx], Any]
    check: Callable[[Ctx, Any], None] | None = None
    also: str = ""  # more observed behaviour, for the table
    hub: bool = True
    hostile: bool = False  # a scripted loopback hub instead (tests/core/hostile_hub.py)

    @property
    def exit_code(self) -> int:
        return self.error.exit_code if self.error is not None else E.EXIT_OK

    def observed(self) -> str:
        text = f"`{self.error.__name__}`: “{self.says}”" if self.error else self.says
        return f"{text}; {self.also}" if self.also else text


# --- hub replies -------------------------------------------------------------------------


def _status(status: int, shape: str = "typed", message: str | None = None, **kw: Any):
    def run(ctx: Ctx) -> Any:
        fault(ctx, "status", status=status, shape=shape, message=message, **kw)
        return run_edit(ctx)

    return run


def _rate_limited_7(ctx: Ctx, err: E.RateLimitedError) -> None:
    sent_once(ctx, err)
    assert err.retry_after == 7
    assert err.status == 429


def _no_retry_after(ctx: Ctx, err: E.RateLimitedError) -> None:
    assert err.retry_after is None


def _not_resent(ctx: Ctx, err: E.HubError) -> None:
    sent_once(ctx, err)
    assert "not resent" in err.message


def _html_clean(ctx: Ctx, err: E.HubError) -> None:
    sent_once(ctx, err)
    for tag in ("<", ">", "html", "nginx"):
        assert tag not in err.message.lower()
    assert err.detail == "502 Bad Gateway"


def _invalid_params_real(ctx: Ctx) -> Any:
    return ctx.client().edit(edit_body(resolution="999x999"))


def _invalid_params_check(ctx: Ctx, err: E.InvalidParamsError) -> None:
    sent_once(ctx, err)
    assert err.status == 400
    assert err.error_type == "invalid_params"
    assert "resolution" in (err.detail or "")


def _model_not_found(ctx: Ctx) -> Any:
    raw = dict(BUILTIN_MODELS["gpt-image-2-edit"], id="no-such-model")
    return run_edit(ctx, model=model_info(raw, "hub"))


def _foreign_input_url(ctx: Ctx) -> Any:
    url = f"http://127.0.0.1:{free_port()}/photos/cat.png"
    return run_edit(ctx, inputs=[InputRef.parse(url)])


def _private_repo_input(ctx: Ctx) -> Any:
    ctx.hub.create_repo("alice", "private-photos", is_public=False)
    url = ctx.hub.put_file("alice", "private-photos", "cat.png", image_bytes())
    return run_edit(ctx, inputs=[InputRef.parse(url)])


def _wrong_key(ctx: Ctx) -> Any:
    return run_edit(ctx, key="wrong-key")


def _auth_check(ctx: Ctx, err: E.AuthError) -> None:
    sent_once(ctx, err)
    assert err.status == 401 and err.action == "set_key"
    assert "wrong-key" not in err.message


def _missing_key(ctx: Ctx) -> Any:
    return HubClient(ctx.hub.base_url, "")


def _captive_portal(ctx: Ctx) -> Any:
    fault(ctx, "status", status=200, shape="html")
    return run_edit(ctx)


def _simple_fault(kind: str, **kw: Any):
    def run(ctx: Ctx) -> Any:
        fault(ctx, kind, **kw)
        return run_edit(ctx)

    return run


def _fewer_images(ctx: Ctx) -> Any:
    fault(ctx, "fewer_images")
    return run_edit(ctx, params={"num_images": 2})


def _fewer_check(ctx: Ctx, outcome: RunOutcome) -> None:
    sent_once(ctx, outcome)
    assert len(outcome.results) == 1 and not outcome.errors
    assert "asked for 2 images, the hub returned 1" in outcome.notes
    assert outcome.results[0].path.exists()


# --- network -----------------------------------------------------------------------------


def _read_timeout(ctx: Ctx) -> Any:
    fault(ctx, "delay", seconds=3.0)
    return run_edit(ctx, client=ctx.client(read_timeout=0.5))


def _refused(ctx: Ctx) -> Any:
    with HubClient(f"http://127.0.0.1:{free_port()}/api", KEY) as client:
        return client.edit(edit_body())


def _dns(ctx: Ctx) -> Any:
    with HubClient("https://nonexistent.invalid/api", KEY) as client:
        return client.list_models()


def _plain_http(ctx: Ctx) -> Any:
    return HubClient("http://hub.example.com/api", KEY)


def _get_dropped(path: str, times: int, call: str):
    def run(ctx: Ctx) -> Any:
        fault(ctx, "drop", path=path, method="GET", times=times)
        client = ctx.client()
        return client.list_models() if call == "list" else client.get_model("gpt-image-2-edit")

    return run


def _gets(path: str, count: int):
    def check(ctx: Ctx, result: Any) -> None:
        gets = [r for r in ctx.hub.requests if r.method == "GET" and r.path == path]
        assert len(gets) == count
        if not isinstance(result, Exception):
            assert result  # the models (or the model) arrived

    return check


# --- downloads ---------------------------------------------------------------------------


def _download_404_one_of_two(ctx: Ctx) -> Any:
    fault(ctx, "download_404", times=1)
    return run_edit(ctx, params={"num_images": 2})


def _partial_check(ctx: Ctx, outcome: RunOutcome) -> None:
    sent_once(ctx, outcome)
    assert outcome.partial
    assert len(outcome.results) == 1 and outcome.results[0].index == 1
    assert outcome.results[0].path.exists()
    assert len(outcome.errors) == 1
    assert isinstance(outcome.errors[0], E.ResultDownloadError)
    assert "no longer available (404)" in outcome.errors[0].message


def _download_truncated_once(ctx: Ctx) -> Any:
    fault(ctx, "download_truncated", times=1)
    return run_edit(ctx)


def _retried_ok(ctx: Ctx, outcome: RunOutcome) -> None:
    sent_once(ctx, outcome)
    assert len(outcome.results) == 1 and not outcome.errors
    assert len(downloads(ctx)) == 2
    with Image.open(outcome.results[0].path) as im:
        im.load()


def _three_downloads(ctx: Ctx, err: Exception) -> None:
    sent_once(ctx, err)
    assert len(downloads(ctx)) == 3


def _download_huge(ctx: Ctx) -> Any:
    assert ctx.monkeypatch is not None
    cap = 1_000_000
    ctx.monkeypatch.setattr("retouch.core.hub_client.MAX_RESULT_BYTES", cap)
    client = ctx.client()
    url = client.edit(edit_body())["images"][0]["url"]
    fault(ctx, "download_huge", size=64 * 1024 * 1024)
    seen: list[int] = []
    ctx.notes["seen"] = seen
    return client.download(url, on_progress=lambda received, _total: seen.append(received))


def _huge_check(ctx: Ctx, err: E.ResultDownloadError) -> None:
    # Streaming stopped at the cap: at most the cap was ever held, not the 64 MB sent.
    assert max(ctx.notes["seen"], default=0) <= 1_000_000


def _download_declared_too_big(ctx: Ctx) -> Any:
    client = ctx.client()
    url = client.edit(edit_body())["images"][0]["url"]
    seen: list[int] = []
    ctx.notes["seen"] = seen
    return client.download(url, max_bytes=1000, on_progress=lambda r, _t: seen.append(r))


def _declared_check(ctx: Ctx, err: E.ResultDownloadError) -> None:
    assert ctx.notes["seen"] == []  # refused from Content-Length, before reading the body


def _save_into_a_file(ctx: Ctx) -> Any:
    blocker = write(ctx, "not-a-folder", b"x")
    model = builtin_model()
    assert model is not None
    request = EditRequest("x", [InputRef(path=photo(ctx))], model, {"num_images": 2})
    outcome = EditRunner(ctx.client(), blocker / "out").run(prepare_edit(request))
    ctx.notes["outcome"] = outcome
    raise outcome.errors[0]


def _kept_in_memory(ctx: Ctx, _error: Any) -> None:
    """No history here: both paid results are kept as bytes (the window's gallery)."""
    sent_once(ctx, _error)
    outcome = ctx.notes["outcome"]
    assert [r.index for r in outcome.results] == [0, 1]
    for r in outcome.results:
        assert r.unsaved and r.data is not None and not r.path.exists()
        assert Image.open(io.BytesIO(r.data)).size == (1024, 1024)
    assert all(isinstance(e, E.ResultNotSavedError) for e in outcome.errors)


def _service_with_history(ctx: Ctx, out: Path) -> tuple[Any, Any]:
    from retouch.core.edit_service import EditService
    from retouch.core.history import HistoryStore
    from retouch.core.profile import HubProfile

    store = HistoryStore(ctx.tmp / "history")
    ctx.notes["store"] = store
    profile = HubProfile.fixed(ctx.hub.base_url, KEY, output_dir=out, cache_dir=ctx.tmp / "c")
    return EditService(profile, recorder=store, poll_interval=0.01), store


def _while_the_hub_works(ctx: Ctx, action: Callable[[], None]) -> None:
    """Do *action* while the edit is at the hub: after the folder was checked and the edit
    sent, before the result arrives."""
    real = ctx.hub._enter_edit

    def enter() -> None:
        real()
        action()

    ctx.hub._enter_edit = enter


def _replace_by_a_file(folder: Path) -> Callable[[], None]:
    def replace() -> None:
        for child in folder.iterdir():
            child.unlink()
        folder.rmdir()
        folder.write_bytes(b"the output folder went away (an unplugged drive, a cleanup)")

    return replace


def _folder_gone_mid_run(ctx: Ctx) -> Any:
    out = ctx.tmp / "out"
    service, _store = _service_with_history(ctx, out)
    _while_the_hub_works(ctx, _replace_by_a_file(out))
    model = builtin_model()
    assert model is not None
    request = EditRequest("x", [InputRef(path=photo(ctx))], model, {"num_images": 1})
    outcome = service.run(request)
    ctx.notes["outcome"] = outcome
    raise outcome.errors[0]


def _kept_in_history(ctx: Ctx, error: Any) -> None:
    sent_once(ctx, error)
    outcome, store = ctx.notes["outcome"], ctx.notes["store"]
    (result,) = outcome.results
    assert result.unsaved and result.data is None
    record = store.get(outcome.run_id)
    assert record.status == "succeeded"  # nothing is missing: it is in history
    assert [o.path for o in record.outputs] == [result.path]
    assert str(result.path) in error.message
    assert Image.open(result.path).size == (1024, 1024)
    store.close()


def _history_and_folder_fail(ctx: Ctx) -> Any:
    out = ctx.tmp / "out"
    service, store = _service_with_history(ctx, out)

    def disks_fail() -> None:
        _replace_by_a_file(out)()
        # The history's disk is full: its run folders cannot be written (a file is in the way).
        runs = store.runs_dir
        if runs.exists():
            import shutil

            shutil.rmtree(runs)
        runs.write_bytes(b"no space left")

    _while_the_hub_works(ctx, disks_fail)
    model = builtin_model()
    assert model is not None
    request = EditRequest("x", [InputRef(path=photo(ctx))], model, {"num_images": 1})
    outcome = service.run(request)
    ctx.notes["outcome"] = outcome
    raise outcome.errors[0]


def _kept_as_bytes(ctx: Ctx, error: Any) -> None:
    sent_once(ctx, error)
    (result,) = ctx.notes["outcome"].results
    assert result.unsaved and result.data is not None
    assert Image.open(io.BytesIO(result.data)).size == (1024, 1024)
    ctx.notes["store"].close()


READ_ONLY_DIR = Path("/sys/kernel")  # not writable, even by root (Linux)


def _read_only_folder(ctx: Ctx) -> Any:
    from retouch.core.atomic import check_writable

    try:
        check_writable(READ_ONLY_DIR)
    except OSError:
        pass
    else:  # pragma: no cover - a system where it is writable
        pytest.skip(f"{READ_ONLY_DIR} is writable here")
    if not READ_ONLY_DIR.is_dir():  # pragma: no cover - not Linux
        pytest.skip("no read-only folder to use")
    service, store = _service_with_history(ctx, READ_ONLY_DIR)
    model = builtin_model()
    assert model is not None
    try:
        return service.run(EditRequest("x", [InputRef(path=photo(ctx))], model, {}))
    finally:
        store.close()


# --- masks -------------------------------------------------------------------------------


def _mask_file(ctx: Ctx, size: tuple[int, int], box: tuple[int, int, int, int] | None) -> Path:
    mask = Image.new("L", size, 0)
    if box:
        mask.paste(255, box)
    path = ctx.tmp / "mask.png"
    mask.save(path)
    return path


def _mask_other_aspect(ctx: Ctx) -> Any:
    client = ctx.client()
    return run_edit(ctx, mask_path=_mask_file(ctx, (50, 50), (0, 0, 10, 10)), client=client)


def _mask_black(ctx: Ctx) -> Any:
    return run_edit(ctx, mask_path=_mask_file(ctx, (64, 48), None))


def _mask_smaller(ctx: Ctx) -> Any:
    # Input 640x480; mask 320x240 (same shape) with a white 80x80 square = 1/12 of it.
    image = write(ctx, "photo.png", image_bytes((640, 480)))
    mask = _mask_file(ctx, (320, 240), (40, 40, 120, 120))
    return run_edit(ctx, inputs=[InputRef(path=image)], mask_path=mask)


def _mask_smaller_check(ctx: Ctx, outcome: RunOutcome) -> None:
    (edit,) = ctx.hub.edit_requests()
    assert edit.json["mask_url"].startswith("data:image/png;base64,")
    assert edit.input_sizes == [(640, 480)]
    assert edit.mask_size == (640, 480)
    assert edit.mask_white_fraction == pytest.approx(1 / 12, abs=0.005)
    assert len(outcome.results) == 1


def _mask_not_image(ctx: Ctx) -> Any:
    mask = write(ctx, "mask.png", b"this is not a mask\n")
    return run_edit(ctx, mask_path=mask, client=ctx.client())


# --- parameters --------------------------------------------------------------------------


def _with_params(params: dict[str, Any], prompt: str = "make the sky purple"):
    def run(ctx: Ctx) -> Any:
        return run_edit(ctx, params=params, prompt=prompt, client=ctx.client())

    return run


def _field(name: str, allowed: Any = None):
    def check(ctx: Ctx, err: E.ValidationError) -> None:
        nothing_sent(ctx, err)
        assert err.field == name
        if allowed is not None:
            assert tuple(err.allowed) == tuple(allowed)
            for value in allowed:
                assert str(value) in err.message

    return check


def _inputs(count: int):
    def run(ctx: Ctx) -> Any:
        ref = InputRef(path=photo(ctx))
        return run_edit(ctx, inputs=[ref] * count, client=ctx.client())

    return run


# --- input files -------------------------------------------------------------------------


def _load(name: str, data: bytes | Callable[[], bytes]):
    def run(ctx: Ctx) -> Any:
        return load_image(write(ctx, name, data() if callable(data) else data))

    return run


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    crc = zlib.crc32(kind + payload) & 0xFFFFFFFF
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)


def bomb_header_only(width: int = 40000, height: int = 40000) -> bytes:
    """A 50-byte PNG that declares 40000×40000 pixels."""
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IEND", b"")


def bomb_full(width: int = 40000, height: int = 40000) -> bytes:
    """A complete, valid 1-bit PNG of 40000×40000 black pixels: ~190 KB on disk, 1.6 Gpx."""
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    comp = zlib.compressobj(9)
    row = b"\0" * (1 + (width + 7) // 8)
    idat = b"".join(comp.compress(row) for _ in range(height)) + comp.flush()
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def _ninety_megapixels() -> bytes:
    return image_bytes((9500, 9500), mode="1", color=0)


def _big_ok(ctx: Ctx, loaded: LoadedImage) -> None:
    loaded_ok(ctx, loaded)
    assert loaded.size == (9500, 9500)


def _truncated(fmt: str) -> Callable[[], bytes]:
    def make() -> bytes:
        noise = Image.effect_noise((256, 256), 60).convert("RGB")
        buf = io.BytesIO()
        noise.save(buf, fmt)
        data = buf.getvalue()
        return data[: len(data) // 2]

    return make


def _animated(fmt: str) -> Callable[[], bytes]:
    def make() -> bytes:
        frames = [Image.new("RGB", (32, 32), (i * 100, 20, 20)) for i in range(3)]
        buf = io.BytesIO()
        frames[0].save(buf, fmt, save_all=True, append_images=frames[1:], duration=100, loop=0)
        return buf.getvalue()

    return make


def _first_frame(ctx: Ctx, loaded: LoadedImage) -> None:
    loaded_ok(ctx, loaded)
    assert "animated (3 frames): the first frame is used" in loaded.notes
    r, _g, _b = loaded.image.convert("RGB").getpixel((5, 5))
    assert r < 40  # frame 1 is (0, 20, 20); later frames are redder


def _cmyk_check(ctx: Ctx, loaded: LoadedImage) -> None:
    loaded_ok(ctx, loaded)
    assert loaded.image.mode == "RGB"
    assert "converted from CMYK to 8-bit RGB" in loaded.notes
    r, g, b = loaded.image.getpixel((10, 10))
    assert r < 60 and g > 200 and b > 200  # CMYK (255, 0, 0, 0) is cyan


def _sixteen_bit() -> bytes:
    img = Image.new("I;16", (40, 30), 0)
    img.paste(65535, (0, 0, 20, 30))
    img.putpixel((30, 15), 32768)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def _sixteen_check(ctx: Ctx, loaded: LoadedImage) -> None:
    loaded_ok(ctx, loaded)
    assert loaded.image.getpixel((5, 5)) == (255, 255, 255)  # scaled, not clipped
    assert loaded.image.getpixel((35, 5)) == (0, 0, 0)
    assert loaded.image.getpixel((30, 15))[0] in range(120, 136)  # mid grey stays mid grey


def _palette_alpha() -> bytes:
    img = Image.new("P", (40, 30), 0)
    img.putpalette([255, 0, 0, 0, 255, 0] + [0] * 762)
    img.paste(1, (20, 0, 40, 30))
    buf = io.BytesIO()
    img.save(buf, "PNG", transparency=0)
    return buf.getvalue()


def _palette_check(ctx: Ctx, loaded: LoadedImage) -> None:
    assert loaded.image.mode == "RGBA"
    assert loaded.image.getpixel((5, 5))[3] == 0  # index 0 is transparent
    assert loaded.image.getpixel((30, 5)) == (0, 255, 0, 255)


def _prepared(name: str, data: Callable[[], bytes]):
    """The path an edit takes: check the file, decode and re-encode it for sending."""

    def run(ctx: Ctx) -> Any:
        model = builtin_model()
        assert model is not None
        request = EditRequest("x", [InputRef(path=write(ctx, name, data()))], model, {})
        return prepare_edit(request)

    return run


def _big_endian_tiff() -> bytes:
    img = Image.new("I;16B", (40, 30), 0)
    img.paste(65535, (0, 0, 20, 30))
    img.putpixel((30, 15), 32768)
    buf = io.BytesIO()
    img.save(buf, "TIFF")
    assert buf.getvalue()[:4] == b"MM\x00*"  # big-endian byte order
    return buf.getvalue()


def _sent_image(prepared: Any) -> Any:
    (item,) = prepared.inputs
    img = Image.open(io.BytesIO(item.data))
    img.load()
    return img


def _big_endian_check(ctx: Ctx, prepared: Any) -> None:
    img = _sent_image(prepared).convert("RGB")
    assert img.getpixel((5, 5)) == (255, 255, 255)  # scaled, not clipped
    assert img.getpixel((35, 5)) == (0, 0, 0)
    assert img.getpixel((30, 15))[0] in range(120, 136)


def _one_bit_transparent() -> bytes:
    img = Image.new("1", (16, 12), 1)
    img.paste(0, (0, 0, 8, 12))
    buf = io.BytesIO()
    img.save(buf, "PNG", transparency=1)  # white is transparent
    return buf.getvalue()


def _one_bit_check(ctx: Ctx, prepared: Any) -> None:
    img = _sent_image(prepared)
    assert img.mode == "RGBA"
    assert img.getpixel((2, 2)) == (0, 0, 0, 255)
    assert img.getpixel((12, 2))[3] == 0  # the transparent colour became real alpha


def _apng_zero_frames() -> bytes:
    ihdr = struct.pack(">IIBBBBB", 128, 64, 8, 6, 0, 0, 0)
    actl = struct.pack(">II", 0, 0)  # an animation of zero frames
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"acTL", actl)
        + _png_chunk(b"IEND", b"")
    )


def _dds_unknown_pixel_format() -> bytes:
    # DDS_HEADER (124 bytes) whose pixel format names a FourCC of 0: no decoder for it.
    pixel_format = struct.pack("<II4sIIIII", 32, 0x4, b"\0\0\0\0", 0, 0, 0, 0, 0)
    header = struct.pack("<IIIIIII", 124, 0x0A1007, 256, 256, 0, 0, 1) + b"\0" * 44
    caps = struct.pack("<IIIII", 0x1000, 0, 0, 0, 0)
    return b"DDS " + header + pixel_format + caps + b"]\0\0\0"


def _exif_rotated() -> bytes:
    # Stored 60×40 with a red marker top-left; orientation 6 = "rotate 90° clockwise to view".
    img = Image.new("RGB", (60, 40), (0, 0, 0))
    img.paste((255, 0, 0), (0, 0, 12, 12))
    exif = Image.Exif()
    exif[0x0112] = 6
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif.tobytes(), quality=95)
    return buf.getvalue()


def _exif_check(ctx: Ctx, loaded: LoadedImage) -> None:
    loaded_ok(ctx, loaded)
    assert loaded.original_size == (60, 40)
    assert loaded.size == (40, 60)  # upright: the sides swapped
    r, g, b = loaded.image.getpixel((34, 5))  # the marker is now top-right
    assert r > 200 and g < 50 and b < 50
    assert loaded.image.getpixel((5, 5))[0] < 50
    assert loaded.passthrough_mime is None  # re-encoded upright, never sent rotated
    assert "rotated upright from its EXIF orientation" in loaded.notes


def _heic() -> bytes:
    return b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 200


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect/></svg>'


def _huge_file(ctx: Ctx) -> Any:
    path = ctx.tmp / "huge.png"
    with open(path, "wb") as fh:
        fh.truncate(200 * 1024 * 1024)  # sparse: nothing is really written
    assert ctx.monkeypatch is not None

    def refuse(self: Path) -> bytes:
        raise AssertionError("the file was read")

    ctx.monkeypatch.setattr(Path, "read_bytes", refuse)
    return load_image(path)


def _folder(ctx: Ctx) -> Any:
    folder = ctx.tmp / "holiday photos"
    folder.mkdir()
    return load_image(folder)


def _deleted(ctx: Ctx) -> Any:
    path = photo(ctx, "gone.png")
    path.unlink()
    return load_image(path)


def _unreadable(ctx: Ctx) -> Any:
    path = photo(ctx, "secret.png")
    path.chmod(0)
    if os.access(path, os.R_OK):
        path.chmod(0o644)
        pytest.skip("running as root: a chmod 000 file is still readable")
    try:
        return load_image(path)
    finally:
        path.chmod(0o644)


def _unicode_name(ctx: Ctx) -> Any:
    return load_image(photo(ctx, "my holiday phöto 写真 (1).png"))


def _unicode_check(ctx: Ctx, loaded: LoadedImage) -> None:
    loaded_ok(ctx, loaded)
    assert loaded.name == "my holiday phöto 写真 (1).png"
    assert loaded.passthrough_mime == "image/png"


CASES: list[Case] = [
    # --- the hub answers with an error --------------------------------------------------
    Case(
        "auth-401",
        "hub reply",
        "wrong API key (real 401 from the hub)",
        E.AuthError,
        "The hub did not accept your API key",
        _wrong_key,
        _auth_check,
        "edit sent once; action `set_key`",
    ),
    Case(
        "auth-no-key",
        "hub reply",
        "no API key at all",
        E.MissingKeyError,
        "No API key is set",
        _missing_key,
        nothing_sent,
        "nothing sent",
    ),
    Case(
        "invalid-params-400",
        "hub reply",
        "typed `invalid_params` 400 (real: `resolution` 999x999 sent past the client)",
        E.InvalidParamsError,
        "The hub refused the request parameters. The hub said: resolution:",
        _invalid_params_real,
        _invalid_params_check,
        "the hub's `detail` is shown",
    ),
    Case(
        "model-not-found",
        "hub reply",
        '`{"error": {"message": "Model not found: no-such-model"}}` (real 404)',
        E.ModelNotFoundError,
        "Model not found: no-such-model",
        _model_not_found,
        sent_once,
    ),
    Case(
        "input-fetch-403",
        "hub reply",
        "input URL the model server cannot fetch (real: “403 Client Error”)",
        E.InputFetchError,
        "could not download an input image or the mask",
        _foreign_input_url,
        sent_once,
        "says the repository must be public",
    ),
    Case(
        "input-private-repo",
        "hub reply",
        "input uploaded to a private Oxen repository (real 403 from the model server)",
        E.InputFetchError,
        "it must be public",
        _private_repo_input,
        sent_once,
    ),
    Case(
        "credits-402",
        "hub reply",
        "402 “Insufficient credits” (message shape)",
        E.InsufficientCreditsError,
        "Your Oxen account is out of credits",
        _status(402, "message", "Insufficient credits"),
        sent_once,
    ),
    Case(
        "credits-400",
        "hub reply",
        "400 with “Insufficient credits for this request” (status undocumented)",
        E.InsufficientCreditsError,
        "Your Oxen account is out of credits",
        _status(400, "message", "Insufficient credits for this request"),
        sent_once,
    ),
    Case(
        "rate-limit-retry-after",
        "hub reply",
        "429 with `Retry-After: 7`",
        E.RateLimitedError,
        "Try again in 7 s",
        _status(429, retry_after=7),
        _rate_limited_7,
        "`retry_after == 7`",
    ),
    Case(
        "rate-limit-plain",
        "hub reply",
        "429 without Retry-After",
        E.RateLimitedError,
        "Try again in a minute",
        _status(429),
        _no_retry_after,
    ),
    Case(
        "server-500",
        "hub reply",
        "500 typed `unknown_error`",
        E.ServerError,
        "The hub had a problem on its side (500)",
        _status(500),
        _not_resent,
        "edit sent once, message says it was not resent",
    ),
    Case(
        "server-502-html",
        "hub reply",
        "502 with an nginx HTML page",
        E.ServerError,
        "The hub had a problem on its side (502). The hub said: 502 Bad Gateway",
        _status(502, "html"),
        _html_clean,
        "no HTML in the message",
    ),
    Case(
        "server-503-text",
        "hub reply",
        "503 with a plain-text body",
        E.ServerError,
        "The hub said: Service temporarily unavailable",
        _status(503, "text"),
        _not_resent,
    ),
    Case(
        "forbidden-403",
        "hub reply",
        "403 typed (key may not use this model)",
        E.AuthError,
        "The hub refused access (403)",
        _status(403),
        sent_once,
    ),
    Case(
        "not-found-404",
        "hub reply",
        "404 typed `resource_not_found`",
        E.NotFoundError,
        "could not find what was asked for (404)",
        _status(404),
        sent_once,
    ),
    Case(
        "conflict-409",
        "hub reply",
        "409 typed",
        E.ConflictError,
        "The hub reported a conflict (409)",
        _status(409),
        sent_once,
    ),
    Case(
        "too-large-413",
        "hub reply",
        "413 typed",
        E.PayloadTooLargeError,
        "The request is too large for the hub",
        _status(413),
        sent_once,
    ),
    Case(
        "invalid-422",
        "hub reply",
        "422 typed",
        E.InvalidParamsError,
        "The hub refused the request parameters",
        _status(422),
        sent_once,
    ),
    Case(
        "upstream-422-wrapped",
        "hub reply",
        "400 “Getting model response error: 422 - Invalid image size” (message shape)",
        E.InvalidParamsError,
        "The hub said: Getting model response error: 422 - Invalid image size",
        _status(400, "message", "Getting model response error: 422 - Invalid image size"),
        sent_once,
    ),
    Case(
        "html-200",
        "hub reply",
        "200 with an HTML page (captive portal)",
        E.MalformedReplyError,
        "was not valid JSON",
        _captive_portal,
        sent_once,
    ),
    Case(
        "malformed-json",
        "hub reply",
        "200 with broken JSON",
        E.MalformedReplyError,
        "was not valid JSON",
        _simple_fault("malformed_json"),
        sent_once,
    ),
    Case(
        "empty-images",
        "hub reply",
        '200 with `"images": []`',
        E.MalformedReplyError,
        "returned no images",
        _simple_fault("empty_images"),
        sent_once,
        "suggests a content filter",
    ),
    Case(
        "fewer-images",
        "hub reply",
        "asked for 2 images, the hub returns 1",
        None,
        "1 result saved, note “asked for 2 images, the hub returned 1”",
        _fewer_images,
        _fewer_check,
    ),
    # --- the network fails --------------------------------------------------------------
    Case(
        "drop",
        "network",
        "connection closed after the edit was sent, no reply",
        E.ConnectionLostError,
        "The edit may have been billed; it was not resent automatically",
        _simple_fault("drop"),
        sent_once,
        "edit POST sent exactly once",
    ),
    Case(
        "drop-mid-reply",
        "network",
        "connection reset half-way through the reply",
        E.ConnectionLostError,
        "The connection to the hub dropped while editing",
        _simple_fault("drop_mid_reply"),
        sent_once,
        "edit POST sent exactly once",
    ),
    Case(
        "truncated-json",
        "network",
        "reply cut short (Content-Length not met)",
        E.ConnectionLostError,
        "The connection to the hub dropped while editing",
        _simple_fault("truncated_json"),
        sent_once,
        "edit POST sent exactly once",
    ),
    Case(
        "read-timeout",
        "network",
        "hub silent past the read timeout (0.5 s timeout, 3 s delay)",
        E.HubTimeoutError,
        "The edit may still finish and be billed; it was not resent automatically",
        _read_timeout,
        sent_once,
        "edit POST sent exactly once",
    ),
    Case(
        "connect-refused",
        "network",
        "nothing listening on the port",
        E.ConnectFailedError,
        "Could not connect to the hub at '127.0.0.1'",
        _refused,
        hub=False,
        also="retried once (nothing was sent)",
    ),
    Case(
        "dns-failure",
        "network",
        "host name that does not resolve (`nonexistent.invalid`)",
        E.ConnectFailedError,
        "the hub at 'nonexistent.invalid'",
        _dns,
        hub=False,
    ),
    Case(
        "plain-http-remote",
        "network",
        "base URL `http://` to a non-loopback host",
        E.ConfigError,
        "The hub address must use https://",
        _plain_http,
        nothing_sent,
        "refused before any connection",
    ),
    Case(
        "models-drop-once",
        "network",
        "`GET /ai/models` dropped once",
        None,
        "retried: the model list arrives",
        _get_dropped("/ai/models", 1, "list"),
        _gets("/ai/models", 2),
    ),
    Case(
        "model-drop-once",
        "network",
        "`GET /ai/models/{id}` dropped once",
        None,
        "retried: the model arrives",
        _get_dropped("/ai/models/gpt-image-2-edit", 1, "get"),
        _gets("/ai/models/gpt-image-2-edit", 2),
    ),
    Case(
        "models-drop-always",
        "network",
        "`GET /ai/models` dropped every time",
        E.ConnectionLostError,
        "The connection to the hub dropped listing models",
        _get_dropped("/ai/models", 5, "list"),
        _gets("/ai/models", 3),
        "3 tries",
    ),
    # --- downloading results ------------------------------------------------------------
    Case(
        "download-404-partial",
        "download",
        "result 1 of 2 answers 404, result 2 is fine",
        None,
        "partial outcome: result 2 saved, result 1 reported as `ResultDownloadError`",
        _download_404_one_of_two,
        _partial_check,
    ),
    Case(
        "download-404",
        "download",
        "the only result answers 404",
        E.ResultDownloadError,
        "A result image is no longer available (404)",
        _simple_fault("download_404"),
        sent_once,
    ),
    Case(
        "download-truncated-once",
        "download",
        "result download cut short once",
        None,
        "retried: the result is saved",
        _download_truncated_once,
        _retried_ok,
        "2 GETs",
    ),
    Case(
        "download-truncated-always",
        "download",
        "result download cut short every time",
        E.ResultDownloadError,
        "could not be downloaded after 3 tries",
        _simple_fault("download_truncated", times=5),
        _three_downloads,
    ),
    Case(
        "download-not-image",
        "download",
        "result URL serves `hello` as text",
        E.ResultDownloadError,
        "is not a valid image (damaged or incomplete); it was not saved",
        _simple_fault("download_not_image"),
        sent_once,
    ),
    Case(
        "download-huge-stream",
        "download",
        "result streams 64 MB with no Content-Length (cap set to 1 MB)",
        E.ResultDownloadError,
        "was larger than 1 MB; the download was stopped",
        _download_huge,
        _huge_check,
        "never more than the cap held in memory",
    ),
    Case(
        "download-declared-too-big",
        "download",
        "result's Content-Length is over the cap",
        E.ResultDownloadError,
        "A result image is too large",
        _download_declared_too_big,
        _declared_check,
        "refused before reading the body",
    ),
    Case(
        "save-impossible",
        "files",
        "output folder cannot be created (a file is in the way), no history",
        E.ResultNotSavedError,
        "could not be saved in",
        _save_into_a_file,
        _kept_in_memory,
        "both paid results kept as bytes (the window's gallery, Save to Another Folder); "
        "used to escape as a raw `FileExistsError`, then to be dropped as `SaveError`",
    ),
    Case(
        "out-folder-gone-mid-run",
        "files",
        "the output folder replaced by a file while the hub works (after the check)",
        E.ResultNotSavedError,
        "It is kept in Retouch's history",
        _folder_gone_mid_run,
        _kept_in_history,
        "stored in history first (the message names the file); the run is `succeeded`; "
        "used to be dropped, history keeping only the input",
    ),
    Case(
        "history-and-folder-fail",
        "files",
        "the data disk full (history's run folder unwritable) and the output folder gone",
        E.ResultNotSavedError,
        "it is only in memory",
        _history_and_folder_fail,
        _kept_as_bytes,
        "the bytes kept in memory to be saved elsewhere (the CLI writes them to a temp folder)",
    ),
    Case(
        "out-folder-read-only",
        "files",
        "an output folder nothing can be written in (`/sys/kernel`: even root cannot)",
        E.OutputFolderError,
        "nothing can be written in it",
        _read_only_folder,
        nothing_sent,
        "found before sending: nothing paid",
    ),
    # --- masks --------------------------------------------------------------------------
    Case(
        "mask-other-aspect",
        "mask",
        "50×50 mask for a 64×48 image",
        E.InputError,
        "their shapes differ",
        _mask_other_aspect,
        nothing_sent,
        "nothing sent",
    ),
    Case(
        "mask-all-black",
        "mask",
        "all-black mask (nothing to edit)",
        E.InputError,
        "The mask is all black, so it keeps the whole image",
        _mask_black,
        nothing_sent,
        "nothing sent (used to send a paid edit of the whole image, exit 0)",
    ),
    Case(
        "mask-smaller",
        "mask",
        "320×240 mask with a white square for a 640×480 image",
        None,
        "the hub gets a 640×480 mask, white fraction 1/12 (white = edit)",
        _mask_smaller,
        _mask_smaller_check,
    ),
    Case(
        "mask-not-image",
        "mask",
        "text file given as the mask",
        E.InputError,
        "is not an image Retouch can read",
        _mask_not_image,
        nothing_sent,
        "nothing sent",
    ),
    # --- parameters ---------------------------------------------------------------------
    Case(
        "param-resolution",
        "parameters",
        "`resolution` 999x999",
        E.ValidationError,
        "Resolution must be one of: 1024x768, 1024x1024",
        _with_params({"resolution": "999x999"}),
        _field(
            "resolution",
            BUILTIN_MODELS["gpt-image-2-edit"]["request_schema"]["properties"]["resolution"][
                "enum"
            ],
        ),
        "nothing sent",
    ),
    Case(
        "param-num-images-7",
        "parameters",
        "`num_images` 7",
        E.ValidationError,
        "Images must be from 1 to 4 (got 7)",
        _with_params({"num_images": 7}),
        _field("num_images"),
        "nothing sent",
    ),
    Case(
        "param-num-images-text",
        "parameters",
        "`num_images` “two”",
        E.ValidationError,
        "Images must be a whole number from 1 to 4",
        _with_params({"num_images": "two"}),
        _field("num_images"),
        "nothing sent",
    ),
    Case(
        "param-format",
        "parameters",
        "`output_format` gif",
        E.ValidationError,
        "Format must be one of: png, jpeg, webp",
        _with_params({"output_format": "gif"}),
        _field("output_format", ("png", "jpeg", "webp")),
        "nothing sent",
    ),
    Case(
        "param-unknown",
        "parameters",
        "unknown parameter `seed`",
        E.ValidationError,
        "'seed' is not a parameter of GPT Image 2 Edit. Its parameters are: resolution",
        _with_params({"seed": 3}),
        _field("seed"),
        "nothing sent",
    ),
    Case(
        "prompt-empty",
        "parameters",
        "prompt of only spaces",
        E.ValidationError,
        "Write a prompt",
        _with_params({}, prompt="   "),
        _field("prompt"),
        "nothing sent",
    ),
    Case(
        "no-inputs",
        "parameters",
        "no input image",
        E.ValidationError,
        "Add at least one image",
        _inputs(0),
        _field("input_image"),
        "nothing sent",
    ),
    Case(
        "too-many-inputs",
        "parameters",
        "17 input images",
        E.ValidationError,
        "Use at most 16 input images",
        _inputs(17),
        _field("input_image"),
        "nothing sent",
    ),
    # --- input files --------------------------------------------------------------------
    Case(
        "file-empty",
        "input file",
        "0-byte file",
        E.InputError,
        "is empty (0 bytes)",
        _load("empty.png", b""),
        hub=False,
    ),
    Case(
        "file-truncated-png",
        "input file",
        "PNG cut in half",
        E.InputError,
        "is damaged or incomplete",
        _load("half.png", _truncated("PNG")),
        hub=False,
    ),
    Case(
        "file-truncated-jpeg",
        "input file",
        "JPEG cut in half",
        E.InputError,
        "is damaged or incomplete",
        _load("half.jpg", _truncated("JPEG")),
        hub=False,
    ),
    Case(
        "file-text-as-png",
        "input file",
        "text file named `.png`",
        E.InputError,
        "is not an image Retouch can read",
        _load("notes.png", b"shopping list: eggs, milk\n"),
        hub=False,
    ),
    Case(
        "file-bomb-header",
        "input file",
        "50-byte PNG declaring 40000×40000",
        E.InputError,
        "declares an enormous size and was refused",
        _load("bomb.png", bomb_header_only),
        hub=False,
    ),
    Case(
        "file-bomb-full",
        "input file",
        "valid 40000×40000 1-bit PNG (~190 KB)",
        E.InputError,
        "declares an enormous size and was refused",
        _load("bomb-full.png", bomb_full),
        hub=False,
    ),
    Case(
        "file-90-megapixels",
        "input file",
        "9500×9500 PNG (90 MP, under the 180 MP limit)",
        None,
        "opened (used to be refused at Pillow's 89 MP warning)",
        _load("big.png", _ninety_megapixels),
        _big_ok,
        hub=False,
    ),
    Case(
        "file-animated-gif",
        "input file",
        "animated GIF, 3 frames",
        None,
        "first frame used, note “animated (3 frames)”",
        _load("anim.gif", _animated("GIF")),
        _first_frame,
        hub=False,
    ),
    Case(
        "file-animated-webp",
        "input file",
        "animated WebP, 3 frames",
        None,
        "first frame used, note “animated (3 frames)”",
        _load("anim.webp", _animated("WEBP")),
        _first_frame,
        hub=False,
    ),
    Case(
        "file-cmyk-jpeg",
        "input file",
        "CMYK JPEG",
        None,
        "converted to RGB, note “converted from CMYK”",
        _load("print.jpg", lambda: image_bytes((40, 30), "JPEG", "CMYK", (255, 0, 0, 0))),
        _cmyk_check,
        hub=False,
    ),
    Case(
        "file-16-bit-png",
        "input file",
        "16-bit greyscale PNG",
        None,
        "scaled to 8 bits (white stays white)",
        _load("scan16.png", _sixteen_bit),
        _sixteen_check,
        hub=False,
    ),
    Case(
        "file-16-bit-big-endian-tiff",
        "input file",
        "16-bit greyscale TIFF, big-endian (`MM`), as scanners write",
        None,
        "loads and is sent scaled to 8 bits (white stays white); used to fail inside Pillow",
        _prepared("scan.tif", _big_endian_tiff),
        _big_endian_check,
        hub=False,
    ),
    Case(
        "file-1-bit-png-transparent",
        "input file",
        "1-bit PNG whose tRNS makes white transparent",
        None,
        "sent as RGBA with that colour as real alpha; used to fail re-encoding",
        _prepared("lineart.png", _one_bit_transparent),
        _one_bit_check,
        hub=False,
    ),
    Case(
        "file-apng-zero-frames",
        "input file",
        "malformed APNG (an animation of zero frames)",
        E.InputError,
        "is damaged or incomplete",
        _prepared("anim.png", _apng_zero_frames),
        nothing_sent,
        "nothing sent; used to escape as IndexError",
        hub=False,
    ),
    Case(
        "file-dds-unsupported-variant",
        "input file",
        "DDS texture in a pixel format Pillow does not implement",
        E.InputError,
        "uses a variant of its image format that Retouch cannot read",
        _prepared("texture.dds", _dds_unknown_pixel_format),
        nothing_sent,
        "nothing sent; used to escape as NotImplementedError",
        hub=False,
    ),
    Case(
        "file-palette-alpha",
        "input file",
        "palette PNG with a transparent index",
        None,
        "RGBA with the transparency kept",
        _load("icon.png", _palette_alpha),
        _palette_check,
        hub=False,
    ),
    Case(
        "file-exif-rotated",
        "input file",
        "JPEG with EXIF orientation 6",
        None,
        "turned upright (sides swapped, marker top-right), re-encoded",
        _load("phone.jpg", _exif_rotated),
        _exif_check,
        hub=False,
    ),
    Case(
        "file-heic",
        "input file",
        "HEIC file",
        E.InputError,
        "is a HEIC file, which Retouch does not support",
        _load("IMG_0001.heic", _heic),
        hub=False,
    ),
    Case(
        "file-svg",
        "input file",
        "SVG file",
        E.InputError,
        "is a SVG file, which Retouch does not support",
        _load("logo.svg", SVG),
        hub=False,
    ),
    Case(
        "file-svg-as-png",
        "input file",
        "SVG content named `.png`",
        E.InputError,
        "is a SVG file, which Retouch does not support",
        _load("logo.png", SVG),
        hub=False,
    ),
    Case(
        "file-ico",
        "input file",
        "Windows icon (`.ico`)",
        E.InputError,
        "is a ICO image, which Retouch does not support",
        _load("favicon.ico", lambda: image_bytes((32, 32), "ICO")),
        hub=False,
    ),
    Case(
        "file-over-150-mb",
        "input file",
        "200 MB file (sparse)",
        E.InputError,
        "is 210 MB; images up to 157 MB can be used",
        _huge_file,
        hub=False,
        also="refused from its size, never read",
    ),
    Case(
        "file-folder",
        "input file",
        "a folder",
        E.InputError,
        "is a folder, not an image",
        _folder,
        hub=False,
    ),
    Case(
        "file-deleted",
        "input file",
        "file deleted after being chosen",
        E.InputError,
        "no longer exists",
        _deleted,
        hub=False,
    ),
    Case(
        "file-unreadable",
        "input file",
        "file with mode 000 (skipped as root)",
        E.InputError,
        "cannot be read: permission denied",
        _unreadable,
        hub=False,
    ),
    Case(
        "file-unicode-name",
        "input file",
        "name with spaces, “ö” and “写真”",
        None,
        "opened; name kept; sent as the original PNG bytes",
        _unicode_name,
        _unicode_check,
        hub=False,
    ),
]


# --- issue 13: hostile replies, caps, files, history, keys --------------------------------

HOSTILE_KEY = "sk-live-ECHOED-0123456789abcdef"


def _hostile_edit(
    ctx: Ctx,
    reply: Callable[[Any], None],
    *,
    limits: Any = None,
    num_images: int = 1,
    use_queue: bool = False,
    recorder: Any = None,
) -> Any:
    from retouch.core.hub_client import Limits

    hub = ctx.hostile
    hub.route("POST", "/ai/images/edit", reply)
    client = HubClient(hub.base_url, HOSTILE_KEY, limits=limits or Limits())
    ctx.clients.append(client)
    model = builtin_model()
    assert model is not None
    request = EditRequest("x", [InputRef(path=photo(ctx))], model, {"num_images": num_images})
    runner = EditRunner(
        client, ctx.tmp / "out", use_queue=use_queue, recorder=recorder, poll_interval=0.01
    )
    return runner.run(prepare_edit(request))


def _no_key_on_disk(ctx: Ctx, result: Any) -> None:
    for path in ctx.tmp.rglob("*"):
        if path.is_file():
            assert HOSTILE_KEY.encode() not in path.read_bytes(), path
    if isinstance(result, E.RetouchError):
        assert HOSTILE_KEY not in result.message + (result.detail or "")


def _echo_revised(ctx: Ctx) -> Any:
    hub = ctx.hostile
    return _hostile_edit(
        ctx,
        lambda req: req.send_json(
            {"images": [{"url": hub.result_url(), "revised_prompt": f"ok {HOSTILE_KEY}"}]}
        ),
    )


def _echo_revised_check(ctx: Ctx, outcome: RunOutcome) -> None:
    _no_key_on_disk(ctx, outcome)
    assert outcome.results[0].revised_prompt == "ok [redacted]"


def _echo_error(ctx: Ctx) -> Any:
    body = {"error": {"type": "invalid_params", "detail": f"bad key {HOSTILE_KEY}"}}
    return _hostile_edit(ctx, lambda req: req.send_json(body, 400))


def _shape(doc: Callable[[Any], dict[str, Any]]) -> Callable[[Ctx], Any]:
    return lambda ctx: _hostile_edit(ctx, lambda req: req.send_json(doc(ctx.hostile)))


def _one_saved(ctx: Ctx, outcome: RunOutcome) -> None:
    assert len(outcome.results) == 1 and outcome.results[0].path.exists()


def _thousand_images(ctx: Ctx) -> Any:
    hub = ctx.hostile
    url = hub.result_url()
    return _hostile_edit(ctx, lambda req: req.send_json({"images": [{"url": url}] * 1000}))


def _thousand_check(ctx: Ctx, outcome: RunOutcome) -> None:
    _one_saved(ctx, outcome)
    assert len(ctx.hostile.made("GET", "/results/")) == 1
    assert any("the hub sent 1000 images where 1 were asked for" in n for n in outcome.notes)


def _b64_body(data: bytes) -> bytes:
    return b'{"images": [{"b64_json": "' + base64.b64encode(data) + b'"}]}'


def _huge_b64(ctx: Ctx) -> Any:
    from retouch.core.hub_client import Limits

    body = _b64_body(image_bytes() + b"\0" * 3_000_000)
    return _hostile_edit(ctx, lambda req: req.send(body), limits=Limits(max_result_bytes=10**6))


def _text_over_cap(ctx: Ctx) -> Any:
    from retouch.core.hub_client import Limits

    doc = {"images": [{"url": "http://127.0.0.1:1/x.png", "revised_prompt": "x" * 2_000_000}]}
    return _hostile_edit(ctx, lambda req: req.send_json(doc), limits=Limits(max_reply_bytes=10**6))


def _nested_reply(ctx: Ctx) -> Any:
    return _hostile_edit(ctx, lambda req: req.send(b"[" * 50_000 + b"]" * 50_000))


def _drip_reply(ctx: Ctx) -> Any:
    from retouch.core.hub_client import Limits

    body = b'{"images": [{"url": "http://127.0.0.1:1/x.png"}]}'

    def drip(req: Any) -> None:
        req.headers(200, {"Content-Length": str(len(body))})
        req.drip(body, every=0.05)

    limits = Limits(min_bytes_per_second=1000, rate_grace_seconds=0.3)
    return _hostile_edit(ctx, drip, limits=limits)


def _drip_download(ctx: Ctx) -> Any:
    from retouch.core.hub_client import Limits

    data = image_bytes()

    def drip(req: Any) -> None:
        req.headers(200, {"Content-Length": str(len(data))})
        req.drip(data, every=0.05)

    ctx.hostile.route("GET", "/slow/", drip)
    limits = Limits(min_bytes_per_second=1000, rate_grace_seconds=0.3)
    return _hostile_edit(
        ctx,
        lambda req: req.send_json({"images": [{"url": req.url("/slow/a.png")}]}),
        limits=limits,
    )


def _once_to_slow_host(ctx: Ctx, err: Any) -> None:
    assert len(ctx.hostile.made("GET", "/slow/")) == 1


def _edit_wait(ctx: Ctx) -> Any:
    from retouch.core.hub_client import Limits

    return _hostile_edit(ctx, lambda req: req.hold(), limits=Limits(max_edit_wait=0.5))


def _edit_sent_once(ctx: Ctx, err: Any) -> None:
    assert len(ctx.hostile.made("POST", "/ai/images/edit")) == 1


def _queue_wait(ctx: Ctx) -> Any:
    from retouch.core.history import HistoryStore
    from retouch.core.hub_client import Limits

    hub = ctx.hostile
    gens = {"generations": [{"generation_id": "g1", "status": "queued"}]}
    hub.route("POST", "/ai/queue", lambda req: req.send_json(gens))
    hub.route("GET", "/ai/queue/", lambda req: req.send_json({"status": "processing"}))
    with HistoryStore(ctx.tmp / "history") as store:
        return _hostile_edit(
            ctx,
            lambda req: None,
            limits=Limits(max_edit_wait=0.3),
            use_queue=True,
            recorder=store,
        )


def _queue_left(ctx: Ctx, err: Any) -> None:
    from retouch.core.history import HistoryStore

    assert err.collectable and ctx.hostile.made("DELETE") == []
    with HistoryStore(ctx.tmp / "history") as store:
        store.recover()
        (run,) = store.pending_queue_runs()
    assert run.generation_ids == ["g1"]


def _models_without_schema(ctx: Ctx) -> Any:
    from retouch.core.schema import SchemaCache, resolve_model_list

    hub = ctx.hostile
    listed = [{"id": "gpt-image-2-edit", "request_schema": None}, {"id": "other"}]
    hub.route("GET", "/ai/models", lambda req: req.send_json({"data": listed}))
    entry = {"id": "other", "json_request_schema": {"properties": {"style": {"type": "string"}}}}
    hub.route("GET", "/ai/models/other", lambda req: req.send_json(entry))
    client = HubClient(hub.base_url, HOSTILE_KEY)
    ctx.clients.append(client)
    return resolve_model_list(client.list_models(), SchemaCache(ctx.tmp), client.get_model)


def _models_check(ctx: Ctx, infos: Any) -> None:
    by_id = {m.id: m for m in infos}
    assert by_id["gpt-image-2-edit"].param("resolution") is not None
    assert [p.name for p in by_id["other"].params] == ["style"]


def _name_taken(ctx: Ctx) -> Any:
    from retouch.core.results import save_result_as

    assert ctx.monkeypatch is not None
    (ctx.tmp / "photo-1.png").write_bytes(b"another process's result")
    ctx.monkeypatch.setattr(Path, "exists", lambda self: False)  # the check lies
    return save_result_as(ctx.tmp, "photo-1", "png", image_bytes(), fmt="png", index=0, meta={})


def _name_check(ctx: Ctx, saved: Any) -> None:
    assert saved.path.name == "photo-1_2.png"
    assert (ctx.tmp / "photo-1.png").read_bytes() == b"another process's result"


def _damaged_history(ctx: Ctx) -> Any:
    import sqlite3

    from retouch.core.history import HistoryDamagedError, HistoryStore

    root = ctx.tmp / "history"
    with HistoryStore(root) as store:
        for i in range(40):
            store.begin_run(
                model="m",
                prompt=f"{i}" + "x" * 400,
                params={},
                inputs=[],
                input_names=[],
                mask=None,
                estimated_cost=None,
            )
    db = root / "history.sqlite3"
    with sqlite3.connect(db) as conn:
        page = conn.execute("PRAGMA page_size").fetchone()[0]
    with open(db, "r+b") as fh:
        fh.seek(page)
        fh.write(bytes((i * 37) % 256 for i in range(3 * page)))
    try:
        HistoryStore(root)
    except HistoryDamagedError as exc:
        fresh, moved = HistoryStore.start_fresh(root)
        fresh.close()
        return exc, moved
    raise AssertionError("the damage was not found")


def _damaged_check(ctx: Ctx, result: Any) -> None:
    exc, moved = result
    assert "damaged" in str(exc)
    assert moved.name.startswith("history.sqlite3.damaged-")


def _newer_history(ctx: Ctx) -> Any:
    import sqlite3

    from retouch.core.history import HistoryStore, HistoryTooNewError, schema

    root = ctx.tmp / "history"
    HistoryStore(root).close()
    with sqlite3.connect(root / "history.sqlite3") as conn:
        conn.execute(f"PRAGMA user_version = {schema.LATEST_VERSION + 1}")
    try:
        HistoryStore(root)
    except HistoryTooNewError as exc:
        with HistoryStore(root, read_only=True) as store:
            return exc, store.newer, store.runs()
    raise AssertionError("the newer schema was not noticed")


def _newer_check(ctx: Ctx, result: Any) -> None:
    exc, newer, runs = result
    assert "made by a newer Retouch" in str(exc) and newer and runs == []


DEEP_JSON = "[" * 5000 + "]" * 5000


def _deep_app_files(ctx: Ctx) -> Any:
    from retouch.core.history import load_session
    from retouch.core.presets import PresetStore
    from retouch.core.settings import Settings

    for name in ("settings.json", "presets.json", "session.json"):
        (ctx.tmp / name).write_text(DEEP_JSON)
    return Settings(ctx.tmp).get("model"), PresetStore(ctx.tmp).presets(), load_session(ctx.tmp)


def _deep_preset_import(ctx: Ctx) -> Any:
    from retouch.core.presets import PresetStore

    (ctx.tmp / "shared.json").write_text(DEEP_JSON)
    return PresetStore(ctx.tmp / "store").import_file(ctx.tmp / "shared.json")


def _deep_run_zip(ctx: Ctx) -> Any:
    import zipfile

    from retouch.core.history import ArchiveError, HistoryStore, import_run_zip

    with zipfile.ZipFile(ctx.tmp / "run.zip", "w") as zf:
        zf.writestr("run.json", DEEP_JSON)
    with HistoryStore(ctx.tmp / "history") as store:
        try:
            import_run_zip(store, ctx.tmp / "run.zip")
        except ArchiveError as exc:
            return exc
    raise AssertionError("imported")


def _leftover(ctx: Ctx) -> Any:
    import os as _os

    from retouch.core import atomic
    from retouch.core.paths import sweep_leftovers

    out = ctx.tmp / "outputs"
    out.mkdir()
    stale = out / ".photo-1.png.k3j_x9a2.part"
    mine = out / "notes.part"
    for path in (stale, mine):
        path.write_bytes(b"half")
        old = atomic.PROCESS_STARTED - atomic.LEFTOVER_GRACE_S - 10
        _os.utime(path, (old, old))
    return sweep_leftovers([out]), stale.exists(), mine.exists()


def _refusing_keyring(ctx: Ctx) -> Any:
    import keyring

    from retouch.core.secrets import store_api_key

    class Refusing(keyring.backend.KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def get_password(self, service: str, username: str) -> None:
            return None

        def set_password(self, service: str, username: str, password: str) -> None:
            raise keyring.errors.KeyringLocked("the unlock prompt was dismissed")

        def delete_password(self, service: str, username: str) -> None:
            pass

    previous = keyring.get_keyring()
    keyring.set_keyring(Refusing())
    try:
        return store_api_key("sk-live-REFUSED-0123456789")
    finally:
        keyring.set_keyring(previous)


ISSUE_13_CASES = [
    Case(
        "key-echo-revised-prompt",
        "hub reply",
        "the key echoed in `revised_prompt`",
        None,
        "saved; the sidecar and history say “[redacted]”; the key is in no file",
        _echo_revised,
        _echo_revised_check,
        hostile=True,
    ),
    Case(
        "key-echo-error",
        "hub reply",
        "the key echoed in an error's `detail`",
        E.InvalidParamsError,
        "The hub said: bad key [redacted]",
        _echo_error,
        _no_key_on_disk,
        hostile=True,
    ),
    Case(
        "reply-data-shape",
        "hub reply",
        'results as OpenAI\'s `{"data": [{"url"}]}`',
        None,
        "read like `images`; the result is saved",
        _shape(lambda hub: {"data": [{"url": hub.result_url()}]}),
        _one_saved,
        hostile=True,
    ),
    Case(
        "reply-image-url-shape",
        "hub reply",
        "a top-level `image_url`",
        None,
        "read as one result; saved",
        _shape(lambda hub: {"image_url": hub.result_url()}),
        _one_saved,
        hostile=True,
    ),
    Case(
        "reply-1000-images",
        "hub reply",
        "1000 images when 1 was asked",
        None,
        "1 fetched and saved; note “the hub sent 1000 images where 1 were asked for”",
        _thousand_images,
        _thousand_check,
        hostile=True,
    ),
    Case(
        "reply-huge-b64",
        "hub reply",
        "a 3 MB `b64_json` result (cap set to 1 MB)",
        E.ResultDownloadError,
        "Result 1 was larger than 1 MB; it was not kept",
        _huge_b64,
        _edit_sent_once,
        "decoded as it streams; never held whole",
        hostile=True,
    ),
    Case(
        "reply-text-over-cap",
        "hub reply",
        "a 2 MB reply text (cap set to 1 MB)",
        E.MalformedReplyError,
        "was larger than 1 MB, so it was not read",
        _text_over_cap,
        _edit_sent_once,
        hostile=True,
    ),
    Case(
        "reply-nested-50000",
        "hub reply",
        "a reply nested 50,000 levels deep",
        E.MalformedReplyError,
        "was not valid JSON",
        _nested_reply,
        _edit_sent_once,
        "never a RecursionError",
        hostile=True,
    ),
    Case(
        "reply-drip",
        "network",
        "the reply dripping a byte every 50 ms (floor 1 KB/s)",
        E.SlowTransferError,
        "arrived too slowly",
        _drip_reply,
        _edit_sent_once,
        "says it may have been billed",
        hostile=True,
    ),
    Case(
        "download-drip",
        "download",
        "a result download dripping a byte every 50 ms",
        E.ResultDownloadError,
        "arrived too slowly",
        _drip_download,
        _once_to_slow_host,
        "not retried",
        hostile=True,
    ),
    Case(
        "edit-wait-exceeded",
        "network",
        "the hub silent past the edit's maximum wait (0.5 s)",
        E.EditWaitError,
        "may still finish and be billed",
        _edit_wait,
        _edit_sent_once,
        hostile=True,
    ),
    Case(
        "queue-wait-exceeded",
        "network",
        "a queued edit still processing at its maximum wait",
        E.EditWaitError,
        "It may still be billed; it is left on the hub",
        _queue_wait,
        _queue_left,
        "not deleted; collected at the next start",
        hostile=True,
    ),
    Case(
        "models-without-schema",
        "hub reply",
        "`GET /ai/models` lists models without schemas",
        None,
        "completed from each model's own entry, the cache or the built-in schema",
        _models_without_schema,
        _models_check,
        hostile=True,
    ),
    Case(
        "result-name-taken",
        "files",
        "the result's name taken between a check and the write",
        None,
        "saved as `photo-1_2.png`; the other file untouched",
        _name_taken,
        _name_check,
        hub=False,
    ),
    Case(
        "history-damaged",
        "files",
        "history database with overwritten pages",
        None,
        "`HistoryDamagedError`; `start_fresh` keeps it as `history.sqlite3.damaged-DATE`",
        _damaged_history,
        _damaged_check,
        hub=False,
    ),
    Case(
        "history-newer",
        "files",
        "history from a newer Retouch (`user_version` + 1)",
        None,
        "`HistoryTooNewError` “made by a newer Retouch”; opens read-only",
        _newer_history,
        _newer_check,
        hub=False,
    ),
    Case(
        "app-files-nested-5000",
        "files",
        "settings, presets, session nested 5,000 deep",
        None,
        "defaults, empty presets, no session — the app starts",
        _deep_app_files,
        lambda ctx, r: _expect(r == ("gpt-image-2-edit", [], {})),
        hub=False,
    ),
    Case(
        "presets-import-nested",
        "files",
        "importing presets nested 5,000 deep",
        PresetError,
        "is nested too deeply (5000 levels; at most 64)",
        _deep_preset_import,
        hub=False,
    ),
    Case(
        "run-zip-nested",
        "files",
        "importing a run zip whose `run.json` nests 5,000 deep",
        None,
        "`ArchiveError`: “run.json is nested too deeply”",
        _deep_run_zip,
        lambda ctx, r: _expect("run.json is nested too deeply" in str(r)),
        hub=False,
    ),
    Case(
        "leftover-part",
        "files",
        "a `.part` temp file left by a kill, beside a user's `notes.part`",
        None,
        "removed at the next start; the user's file kept",
        _leftover,
        lambda ctx, r: _expect(r == (1, False, True)),
        hub=False,
    ),
    Case(
        "keyring-refuses",
        "files",
        "the keyring refuses the key (unlock prompt dismissed)",
        None,
        "kept for this session; says why and that a retry may work",
        _refusing_keyring,
        lambda ctx, r: _expect(r.where == "session" and r.refused and "KeyringLocked" in r.reason),
        hub=False,
    ),
]


def _expect(condition: bool) -> None:
    assert condition


CASES += ISSUE_13_CASES


# ---------------------------------------------------------------------------------------
# The tests


def test_case_ids_are_unique() -> None:
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_fault(
    case: Case, tmp_path: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    hub = request.getfixturevalue("fake_hub") if case.hub and not case.hostile else None
    ctx = Ctx(tmp_path, hub, monkeypatch)
    if case.hostile:
        ctx.hostile = HostileHub().start()
    try:
        if case.error is None:
            result = case.run(ctx)
        else:
            with pytest.raises(E.RetouchError) as info:
                case.run(ctx)
            result = info.value
            assert type(result) is case.error, f"{type(result).__name__}: {result.message}"
            assert case.says in result.message, result.message
            for leak in ("Traceback", KEY, "data:image", "sig=", "<html", "httpx", "httpcore"):
                assert leak not in result.message
        if case.check is not None:
            case.check(ctx, result)
    finally:
        ctx.close()
        if ctx.hostile is not None:
            ctx.hostile.stop()


def render_table() -> str:
    lines = [
        "| id | area | what was tried | what happens | CLI exit |",
        "|---|---|---|---|---|",
    ]
    for c in CASES:
        cells = [f"`{c.id}`", c.area, c.tried, c.observed(), str(c.exit_code)]
        lines.append("| " + " | ".join(x.replace("|", "\\|") for x in cells) + " |")
    return "\n".join(lines)


def test_readme_table_is_current() -> None:
    text = README.read_text("utf-8")
    assert BEGIN in text and END in text, f"{README} needs the {BEGIN} … {END} markers"
    current = text.split(BEGIN, 1)[1].split(END, 1)[0].strip()
    expected = render_table()
    assert current == expected, (
        "tests/README.md's fault table is out of date; replace it with:\n\n" + expected
    )


if __name__ == "__main__":
    print(render_table())
