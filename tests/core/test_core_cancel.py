"""Cancel is real: it aborts the socket a blocked edit or download is waiting on.

Functional checks only: each test waits on the real condition (the server saw the
connection close, the retry never reached the server). BOUND is a hang guard, far above
anything these take, not a speed limit.
"""

from __future__ import annotations

import io
import logging
import select
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from retouch.core import errors as E
from retouch.core.editing import EditRunner, PreparedEdit, prepare_edit
from retouch.core.hub_client import HubClient
from retouch.core.request import EditRequest, InputRef
from retouch.core.schema import builtin_model
from retouch.fakehub import Fault

KEY = "test-key"
BOUND = 120.0  # a hang guard only


def wait_until(condition: Callable[[], bool], timeout: float = BOUND) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.02)


def prepared_edit(tmp_path: Path, num_images: int = 1) -> PreparedEdit:
    path = tmp_path / "photo.png"
    Image.new("RGB", (64, 48), (30, 90, 200)).save(path)
    model = builtin_model()
    assert model is not None
    request = EditRequest(
        "add a moon",
        [InputRef(path=path)],
        model,
        {"resolution": "1024x768", "num_images": num_images},
    )
    return prepare_edit(request)


def server_sockets(hub: Any) -> list[socket.socket]:
    server = hub._server  # the fake hub's ThreadingHTTPServer tracks open connections
    with server._conns_lock:
        return list(server._conns)


def peer_closed(sock: socket.socket) -> bool:
    """True once the client end of *sock* has gone (EOF or reset seen by the server)."""
    # The handler's socket has a timeout, so a "non-blocking" recv would wait: ask select.
    readable, _, _ = select.select([sock], [], [], 0)
    if not readable:
        return False
    try:
        return sock.recv(1, socket.MSG_PEEK) == b""
    except OSError:
        return True


class Background:
    """Run the edit on a worker thread, like the app does."""

    def __init__(self, target: Callable[[], Any]) -> None:
        self.error: BaseException | None = None
        self.result: Any = None
        self.finished_at: float | None = None

        def work() -> None:
            try:
                self.result = target()
            except BaseException as exc:  # noqa: BLE001 - handed to the test
                self.error = exc
            self.finished_at = time.monotonic()

        self.thread = threading.Thread(target=work, daemon=True)
        self.thread.start()

    def join(self) -> None:
        self.thread.join(BOUND)
        assert not self.thread.is_alive(), "the worker did not return after Cancel"


def test_cancel_aborts_a_blocked_edit(fake_hub: Any, tmp_path: Path) -> None:
    fake_hub.add_fault(Fault("delay", seconds=30))
    prepared = prepared_edit(tmp_path)
    client = HubClient(fake_hub.base_url, KEY)
    runner = EditRunner(client, tmp_path / "out")
    worker = Background(lambda: runner.run(prepared))
    try:
        # The whole request reached the server, which is now "thinking".
        wait_until(lambda: [r.fault for r in fake_hub.edit_requests()] == ["delay"])
        (conn,) = server_sockets(fake_hub)
        assert not peer_closed(conn)
        client.cancel.cancel()
        worker.join()
        assert isinstance(worker.error, E.CancelledError)
        wait_until(lambda: peer_closed(conn))  # the server saw the connection close
        assert len(fake_hub.edit_requests()) == 1
        assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    finally:
        client.close()


def test_cancel_during_download_keeps_the_saved_result(fake_hub: Any, tmp_path: Path) -> None:
    prepared = prepared_edit(tmp_path, num_images=2)
    client = HubClient(fake_hub.base_url, KEY)
    runner = EditRunner(client, tmp_path / "out")
    saved: list[Path] = []

    def on_result(result: Any) -> None:
        saved.append(result.path)
        fake_hub.add_fault(Fault("delay", path="/results/", seconds=30))

    def downloads() -> int:
        return sum(1 for r in fake_hub.requests if r.path.startswith("/results/"))

    worker = Background(lambda: runner.run(prepared, on_result=on_result))
    try:
        # The second download reached the server and is being held there.
        wait_until(
            lambda: (
                [r.fault for r in fake_hub.requests if r.path.startswith("/results/")]
                == [None, "delay"]
            )
        )
        client.cancel.cancel()
        worker.join()
        assert isinstance(worker.error, E.CancelledError)
        assert len(saved) == 1 and saved[0].exists()  # the first result is never lost
        with Image.open(saved[0]) as im:
            im.load()
    finally:
        client.close()


def test_cancel_before_sending_sends_nothing(fake_hub: Any, tmp_path: Path) -> None:
    prepared = prepared_edit(tmp_path)
    with HubClient(fake_hub.base_url, KEY) as client:
        client.cancel.cancel()
        with pytest.raises(E.CancelledError):
            EditRunner(client, tmp_path / "out").run(prepared)
    assert fake_hub.requests == []


def test_cancel_during_a_retry_wait_stops_the_retry(
    fake_hub: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A GET whose first try was dropped waits before retrying; Cancel during that wait
    ends it, and the retry never reaches the server (the wait is an hour here: only a
    Cancel that interrupts it lets the worker return)."""
    monkeypatch.setattr("retouch.core.hub_client.RETRY_BACKOFF", 3600.0)
    fake_hub.add_fault(Fault("drop", path="/ai/models", method="GET", times=1))
    retrying = threading.Event()

    class Watch(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if "retrying" in record.getMessage():
                retrying.set()

    logger = logging.getLogger("retouch.core.hub_client")
    watch, level = Watch(), logger.level
    logger.addHandler(watch)
    logger.setLevel(logging.INFO)
    try:
        with HubClient(fake_hub.base_url, KEY) as client:
            worker = Background(client.list_models)
            assert retrying.wait(BOUND), "the dropped GET was never retried"
            client.cancel.cancel()
            worker.join()
            assert isinstance(worker.error, E.CancelledError)
    finally:
        logger.removeHandler(watch)
        logger.setLevel(level)
    gets = [r for r in fake_hub.requests if r.path == "/ai/models"]
    assert len(gets) == 1  # the retry never reached the server


def test_a_refused_connection_is_retried_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing was sent when the connection is refused, so even an edit gets one more
    try: here the hub comes up between the two, and the second try goes through."""
    from retouch.fakehub import FakeHub

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    started: list[FakeHub] = []

    class StartHubOnRetry(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if "retrying" in record.getMessage() and not started:
                started.append(FakeHub(port=port, api_key=KEY).start())

    logger = logging.getLogger("retouch.core.hub_client")
    handler, level = StartHubOnRetry(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        with HubClient(f"http://127.0.0.1:{port}/api", KEY) as client:
            body = {
                "model": "gpt-image-2-edit",
                "prompt": "x",
                "input_image": f"http://127.0.0.1:{port}/none.png",
            }
            try:
                client.edit(body)
            except E.HubError:
                pass  # the hub answered (it cannot fetch that input): it was reached
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        for hub in started:
            hub.stop()
    (hub,) = started
    assert len(hub.edit_requests()) == 1  # the first try never got there; the retry did


def test_a_refused_connection_is_tried_exactly_twice(caplog: pytest.LogCaptureFixture) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    caplog.set_level(logging.INFO, logger="retouch.core.hub_client")
    with HubClient(f"http://127.0.0.1:{port}/api", KEY) as client:
        with pytest.raises(E.ConnectFailedError):
            client.edit({"model": "m", "prompt": "x", "input_image": "https://x/y.png"})
    retries = [r for r in caplog.records if "retrying" in r.getMessage()]
    assert len(retries) == 1 and "ConnectFailedError" in retries[0].getMessage()


def test_cancelled_client_download_is_refused(fake_hub: Any) -> None:
    with HubClient(fake_hub.base_url, KEY) as client:
        buf = io.BytesIO()
        Image.new("RGB", (8, 8)).save(buf, "PNG")
        url = fake_hub.put_file("ns", "repo", "a.png", buf.getvalue())
        assert client.download(url) == buf.getvalue()
        client.cancel.cancel()
        with pytest.raises(E.CancelledError):
            client.download(url)
