"""A hub whose certificate does not verify: nothing is sent, and the message says why."""

from __future__ import annotations

import http.server
import os
import shutil
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from retouch.core import errors as E
from retouch.core.hub_client import HubClient

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl")


class _Handler(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Handler.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"object":"list","data":[]}')

    do_POST = do_GET

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def self_signed_hub(tmp_path: Path) -> Iterator[str]:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Handler.hits = []
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}/api"
    finally:
        server.shutdown()
        server.server_close()


def test_client_refuses_an_unverifiable_certificate(self_signed_hub: str) -> None:
    with HubClient(self_signed_hub, "sk-test") as client, pytest.raises(E.TlsError) as info:
        client.edit({"prompt": "x"})
    assert "certificate" in info.value.message
    assert _Handler.hits == []  # the request never reached the server


def test_cli_reports_tls_failure_with_network_exit_code(self_signed_hub: str, tmp_path: Path):
    from PIL import Image

    photo = tmp_path / "p.png"
    Image.new("RGB", (32, 32)).save(photo)
    env = dict(
        os.environ,
        OXEN_API_KEY="sk-test",
        RETOUCH_API_BASE=self_signed_hub,
        RETOUCH_DATA_DIR=str(tmp_path / "data"),
    )
    proc = subprocess.run(
        [sys.executable, "-m", "retouch", "edit", str(photo), "--prompt", "x"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == E.EXIT_NETWORK
    assert "certificate" in proc.stderr and "Traceback" not in proc.stderr
    assert _Handler.hits == []
