"""Entry point: ``retouch`` opens the window; ``retouch edit|fakehub ...`` run headless."""

from __future__ import annotations

import sys

USAGE = """usage: retouch [IMAGE ...] [--demo]       open the app (with these images loaded)
       retouch edit IMAGE ... --prompt TEXT  edit from the command line (see: retouch edit -h)
       retouch batch DIR|IMAGE ... --prompt TEXT  one prompt over many images (retouch batch -h)
       retouch fakehub [--port N]          run the local stand-in hub for trying things offline
       retouch --self-test                 end-to-end check of this installation, offline
       retouch --version"""


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        return _dispatch(argv)
    except KeyboardInterrupt:
        return 130


def _dispatch(argv: list[str]) -> int:
    if argv and argv[0] == "edit":
        from retouch.cli import run_edit

        return run_edit(argv[1:])
    if argv and argv[0] == "batch":
        from retouch.cli_batch import main as batch_main

        return batch_main(argv[1:])
    if argv and argv[0] == "fakehub":
        from retouch.fakehub.cli import main as fakehub_main

        return fakehub_main(argv[1:])
    if "--version" in argv or "-V" in argv:
        from retouch import __version__

        print(f"retouch {__version__}")
        return 0
    if "--help" in argv or "-h" in argv:
        print(USAGE)
        return 0
    if "--self-test" in argv:
        from retouch.selftest import run_self_test

        return run_self_test()
    demo = "--demo" in argv
    files = [a for a in argv if not a.startswith("--")]
    unknown = [a for a in argv if a.startswith("--") and a not in ("--demo",)]
    if unknown:
        print(USAGE, file=sys.stderr)
        print(f"retouch: unknown option {unknown[0]}", file=sys.stderr)
        return 2
    from retouch.ui.app import run_app

    return run_app(files, demo=demo)


def gui_main() -> None:
    raise SystemExit(main())


if __name__ == "__main__":
    raise SystemExit(main())
