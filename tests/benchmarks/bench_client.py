"""Client overhead of one edit: Retouch's path against a bare httpx script, same payload.

    python -m tests.benchmarks.bench_client [--quick]

One 1920×1080 PNG input, two 1920×1080 PNG results, the fake hub on loopback replying at once
(its rendering is replaced by two pre-encoded results, so what is left on the hub side is
reading the request, which both paths pay alike).

* Retouch: ``EditService.run``, the path the window and ``retouch edit`` take (check the
  output folder, validate and check the input, build the data URI, send, parse, download
  each result, verify it is an image, write it atomically with its JSON sidecar).
* baseline: read the file, POST the same JSON body and GET each result URL with one plain
  ``httpx.Client``, write the bytes to a file. Like the app, it builds its verifying TLS
  context once per process and hands it to every client (building one per client costs
  ~20 ms of CA loading, which made the app look faster than raw httpx).
The two alternate; the ratio is taken per pair.
"""

from __future__ import annotations

import base64
import functools
import io
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from retouch.core.edit_service import EditService
from retouch.core.editing import PreparedEdit
from retouch.core.profile import HubProfile
from retouch.core.request import EditRequest, InputRef
from retouch.core.schema import DEFAULT_MODEL, builtin_model
from retouch.fakehub import FakeHub
from retouch.fakehub import images as hub_images

if __package__:
    from ._images import photo
    from ._report import Row, Samples, print_rows
else:  # pragma: no cover - run as a script
    from _images import photo  # type: ignore[no-redef]
    from _report import Row, Samples, print_rows  # type: ignore[no-redef]

SIZE = (1920, 1080)
PROMPT = "replace the sky with a sunset"
PARAMS = {"num_images": 2, "resolution": "1920x1080", "output_format": "png"}
KEY = "bench-key"


@functools.cache
def tls_context() -> Any:
    """One verifying SSL context per process, as ``retouch.core.hub_client`` keeps one."""
    return httpx.create_ssl_context()


class _InstantRender:
    """Stands in for the fake hub's renderer: the results are encoded once, up front."""

    def __init__(self) -> None:
        self.results = []
        for seed in (11, 12):
            buf = io.BytesIO()
            photo(SIZE, seed).save(buf, "PNG", compress_level=3)
            self.results.append(buf.getvalue())
        self._saved: dict[str, Any] = {}

    def __enter__(self) -> _InstantRender:
        for name in ("render_edit", "encode"):
            self._saved[name] = getattr(hub_images, name)
        hub_images.render_edit = lambda _base, _size, index, *_a, **_k: index  # type: ignore[assignment]
        hub_images.encode = lambda index, _fmt: self.results[index]  # type: ignore[assignment]
        return self

    def __exit__(self, *exc: object) -> None:
        for name, fn in self._saved.items():
            setattr(hub_images, name, fn)


def app_edit(base_url: str, path: Path, out: Path) -> dict[str, float]:
    model = builtin_model(DEFAULT_MODEL)
    assert model is not None
    prepared_at: list[float] = []

    def on_prepared(_prepared: PreparedEdit) -> None:
        prepared_at.append(time.perf_counter())

    t0 = time.perf_counter()
    request = EditRequest(PROMPT, [InputRef(path=path, name=path.name)], model, dict(PARAMS))
    service = EditService(HubProfile.fixed(base_url, KEY, output_dir=out))
    outcome = service.run(request, on_prepared=on_prepared)
    t2 = time.perf_counter()
    assert len(outcome.results) == 2, outcome
    t1 = prepared_at[0]
    return {"total": t2 - t0, "prepare": t1 - t0, "run": t2 - t1}


def bare_edit(base_url: str, path: Path, out: Path) -> float:
    t0 = time.perf_counter()
    data = path.read_bytes()
    body = {
        "model": DEFAULT_MODEL,
        "prompt": PROMPT,
        "input_image": f"data:image/png;base64,{base64.b64encode(data).decode('ascii')}",
        **PARAMS,
        "response_format": "url",
    }
    # One client for the three requests and one TLS context for every client, like the app:
    # the floor, not a strawman (httpx.post/httpx.get would each build a client and a context).
    with httpx.Client(
        headers={"Authorization": f"Bearer {KEY}"}, timeout=60, verify=tls_context()
    ) as http:
        reply = http.post(f"{base_url}/ai/images/edit", json=body)
        reply.raise_for_status()
        out.mkdir(parents=True, exist_ok=True)
        for i, item in enumerate(reply.json()["images"]):
            got = http.get(item["url"])
            got.raise_for_status()
            (out / f"result-{i}.png").write_bytes(got.content)
    return time.perf_counter() - t0


def rows(quick: bool = False) -> list[Row]:
    repeats = 6 if quick else 15
    tmp = Path(tempfile.mkdtemp(prefix="retouch-bench-"))
    try:
        path = tmp / "input.png"
        photo(SIZE, 3).save(path, "PNG", compress_level=3)
        size_mb = path.stat().st_size / 1e6
        pairs = Samples()
        prepare: list[float] = []
        with _InstantRender(), FakeHub(port=0, api_key=KEY) as hub:
            for i in range(repeats + 1):
                bare = bare_edit(hub.base_url, path, tmp / f"bare-{i}")
                app = app_edit(hub.base_url, path, tmp / f"app-{i}")
                if i:  # the first pair warms up imports, sockets and caches
                    pairs.add(app["total"] * 1000, bare * 1000)
                    prepare.append(app["prepare"] * 1000)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return [
        Row(
            "client overhead of one edit (1 in, 2 out, 1920×1080)",
            pairs.measured,
            "ms",
            pairs.baseline,
            "bare httpx: post, gets, writes",
            "≤ 1.3×",
            max_ratio=1.3,
            ratios=pairs.ratios(),
            note=f"of which preparing {statistics.median(prepare):.0f} ms (median); "
            f"input {size_mb:.1f} MB PNG",
        ),
    ]


if __name__ == "__main__":
    print_rows(rows(quick="--quick" in sys.argv), "Client overhead of one edit")
