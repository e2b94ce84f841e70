"""Command line for the fake hub: ``retouch fakehub [--port N] [--delay S] [--api-key K]
[--queue-steps N] [--list-schema full|null|absent]
[--schema-field request_schema|json_request_schema] [--result-shape images|data|image_url]``."""

from __future__ import annotations

import argparse
import ipaddress
import sys
import threading

from .hub import LIST_SCHEMAS, RESULT_SHAPES, FakeHub
from .models import SCHEMA_FIELDS


def _loopback_host(value: str) -> str:
    if value.lower() == "localhost":
        return "127.0.0.1"
    try:
        addr = ipaddress.ip_address(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not an IP address") from None
    if addr.version != 4 or not addr.is_loopback:
        raise argparse.ArgumentTypeError(
            f"{value} is not an IPv4 loopback address; the fake hub only serves 127.0.0.1"
        )
    return str(addr)


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="retouch fakehub",
        description="Run a local fake Oxen.ai hub (for trying Retouch without a key or network).",
    )
    parser.add_argument("--port", type=int, default=8765, help="port (default 8765; 0 = any)")
    parser.add_argument(
        "--host", type=_loopback_host, default="127.0.0.1", help="loopback address to bind"
    )
    parser.add_argument(
        "--delay", type=float, default=0.0, help="seconds each image edit takes (default 0)"
    )
    parser.add_argument(
        "--api-key", default=None, help="accept only this API key (default: any non-empty key)"
    )
    parser.add_argument(
        "--queue-steps", type=int, default=2, help="polls before a queued generation succeeds"
    )
    parser.add_argument(
        "--list-schema",
        choices=LIST_SCHEMAS,
        default="full",
        help="what GET /ai/models list entries carry of each schema: full (default), null, "
        "or absent (GET /ai/models/{id} always has it)",
    )
    parser.add_argument(
        "--schema-field",
        choices=SCHEMA_FIELDS,
        default=None,
        help="serve every model's schema under this name (default: each model's own; "
        "gpt-image-2 uses json_request_schema, gpt-image-2-edit request_schema)",
    )
    parser.add_argument(
        "--result-shape",
        choices=RESULT_SHAPES,
        default="images",
        help='how edits list results: images (default, {"images": [...]}), data '
        '(OpenAI style {"data": [...]}) or image_url (one top-level {"image_url": ...})',
    )
    return parser


def _say(text: str, stream=None) -> None:
    stream = stream or sys.stdout
    try:
        print(text, file=stream, flush=True)
    except UnicodeEncodeError:
        print(text.encode("ascii", "replace").decode("ascii"), file=stream, flush=True)


def main(argv: list[str] | None = None, *, _stop: threading.Event | None = None) -> int:
    """Serve until Ctrl+C; return the exit status. (``_stop`` lets tests end it.)"""
    parser = _build_parser()
    args = parser.parse_args(argv)
    if args.delay < 0 or not 0 <= args.port <= 65535:
        parser.error("--delay must be >= 0 and --port in 0..65535")
    hub = FakeHub(
        port=args.port,
        api_key=args.api_key,
        delay=args.delay,
        queue_steps=args.queue_steps,
        host=args.host,
        list_schema=args.list_schema,
        schema_field=args.schema_field,
        result_shape=args.result_shape,
    )
    try:
        hub.start()
    except OSError as exc:
        _say(f"Cannot start the fake hub on {args.host}:{args.port}: {exc}", sys.stderr)
        return 1
    stop = _stop or threading.Event()
    try:
        # Inside the try: a Ctrl+C right after the banner must still stop cleanly.
        _say(f"Fake Oxen hub on {hub.base_url} — Ctrl+C to stop")
        while not stop.wait(0.25):
            pass
    except KeyboardInterrupt:
        _say("Stopping.")
    finally:
        hub.stop()
    return 0
