"""Entry point: ``retouch`` opens the window; ``retouch edit|fakehub ...`` run headless."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

USAGE = """usage: retouch [IMAGE ...] [--demo]       open the app (with these images loaded)
       retouch edit IMAGE ... --prompt TEXT  edit from the command line (see: retouch edit -h)
       retouch batch DIR|IMAGE ... --prompt TEXT  one prompt over many images (retouch batch -h)
       retouch resume                      collect edits a killed `retouch edit` left on the hub
       retouch fakehub [--port N]          run the local stand-in hub for trying things offline
       retouch --self-test                 end-to-end check of this installation, offline
       retouch --diagnose                  what a support request needs (never the key)
       retouch --forget-key                remove the stored API key from the keyring
       retouch --version"""


#: The first words that make a command-line run (everything else opens the window).
CLI_COMMANDS = ("edit", "batch", "resume", "fakehub")
CLI_FLAGS = ("--self-test", "--diagnose", "--forget-key")


def main(argv: list[str] | None = None) -> int:
    """Run ``retouch`` with *argv* (the process's arguments when None).

    Run as the program (*argv* None), a command-line run logs to the log file and never
    shows a traceback: whatever escapes is logged there and said in one line on stderr
    (exit 1). Called with arguments (tests), the process's logging and hooks are left alone.
    """
    program = argv is None
    argv = list(sys.argv[1:] if argv is None else argv)
    log_path = _setup_cli(argv) if program else None
    try:
        return _dispatch(argv)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug: logged in full, one line for the user
        if not program:
            raise
        from retouch.core.logs import internal_error_line

        logging.getLogger("retouch").critical("unexpected error", exc_info=exc)
        print(internal_error_line(type(exc), log_path), file=sys.stderr)
        return 1


def _is_cli(argv: list[str]) -> bool:
    return bool(argv) and (argv[0] in CLI_COMMANDS or any(a in CLI_FLAGS for a in argv))


def _setup_cli(argv: list[str]) -> Path | None:
    """Logging and the last-resort hooks for a command-line run (the window sets up its
    own logging in ``ui.app.run_app``)."""
    if not _is_cli(argv):
        return None
    from retouch.core.logs import install_excepthooks, setup_cli_logging
    from retouch.core.paths import data_dir

    try:
        folder = data_dir() / "logs"
    except Exception:  # noqa: BLE001 - no data folder: still one line per error, no log
        folder = None
    log_path = setup_cli_logging(folder)
    install_excepthooks(log_path)
    return log_path


def _dispatch(argv: list[str]) -> int:
    if argv and argv[0] == "edit":
        from retouch.cli import run_edit

        return run_edit(argv[1:])
    if argv and argv[0] == "resume":
        from retouch.cli import run_resume

        return run_resume(argv[1:])
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
    if "--diagnose" in argv:
        return _diagnose()
    if "--forget-key" in argv:
        return _forget_key()
    demo = "--demo" in argv
    files = [a for a in argv if not a.startswith("--")]
    unknown = [a for a in argv if a.startswith("--") and a not in ("--demo",)]
    if unknown:
        print(USAGE, file=sys.stderr)
        print(f"retouch: unknown option {unknown[0]}", file=sys.stderr)
        return 2
    from retouch.ui.app import run_app

    return run_app(files, demo=demo)


def _diagnose() -> int:
    from retouch.core.diagnostics import gather

    try:
        from PySide6.QtCore import qVersion

        qt_version = qVersion()
    except ImportError:
        qt_version = None
    print(gather(qt_version=qt_version).text())
    return 0


def _forget_key() -> int:
    """Remove the key from the keyring (the uninstallers run this); 0 when none is left."""
    from retouch.core.secrets import SERVICE, USERNAME, delete_api_key, keyring_status

    status = keyring_status()
    if not status.available:
        print(f"No keyring here ({status.reason}): no key is stored.")
        return 0
    import keyring

    try:
        had_key = keyring.get_password(SERVICE, USERNAME) is not None
    except Exception as exc:  # noqa: BLE001 - a locked or broken keyring: say so, no traceback
        print(f"retouch: could not read the keyring ({type(exc).__name__})", file=sys.stderr)
        return 1
    delete_api_key()
    try:
        left = keyring.get_password(SERVICE, USERNAME) is not None
    except Exception:  # noqa: BLE001
        left = True
    if left:
        print("retouch: the key could not be removed from the keyring", file=sys.stderr)
        return 1
    print("The stored API key was removed." if had_key else "No API key was stored.")
    return 0


def gui_main() -> None:
    raise SystemExit(main())


if __name__ == "__main__":
    raise SystemExit(main())
