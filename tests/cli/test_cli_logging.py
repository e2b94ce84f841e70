"""Issue 13 item 9: a command-line run never prints a traceback.

Each case runs the real program in a subprocess (``python -c`` that breaks one function on
purpose, then starts ``retouch`` exactly as its console script does) and checks what the user
sees: one ``retouch:`` line on stderr naming the log file, exit 1; and what support gets: the
traceback in ``<data>/logs/retouch.log``. On the old main the same runs printed the traceback
through Python's last-resort handler (``log.exception`` with no handler configured).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.cli.test_cli_edit import cli_env, make_photo

BOOM = "deliberate failure for the test"


def run_program(script: str, argv: list[str], env: dict[str, str], cwd: Path):
    """Run *script* (which breaks something) and then ``retouch`` with *argv* as a program."""
    code = "\n".join(
        [
            "import sys",
            textwrap.dedent(script),
            f"sys.argv = ['retouch', *{argv!r}]",
            "from retouch.__main__ import main",
            "raise SystemExit(main())",
        ]
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def _log_text(data: Path) -> str:
    return "".join(p.read_text("utf-8") for p in sorted((data / "logs").glob("retouch.log*")))


def _assert_one_line_and_logged(proc, data: Path, *, kind: str = "RuntimeError") -> None:
    assert proc.returncode == 1, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stdout, proc.stdout
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("retouch: "), lines
    assert kind in lines[0]
    log_path = data / "logs" / "retouch.log"
    assert str(log_path) in lines[0]  # says where the details are
    text = _log_text(data)
    assert "Traceback (most recent call last)" in text
    assert f"{kind}: {BOOM}" in text


RAISE = f"""
def boom(*args, **kwargs):
    raise RuntimeError({BOOM!r})
"""


@pytest.mark.parametrize(
    ("case", "patch", "argv"),
    [
        # Inside retouch edit's own safety net (it used to log.exception to nowhere).
        ("edit-inside", "import retouch.cli as m\nm._edit = boom", ["edit", "{photo}", "-p", "x"]),
        # Escaping a command altogether: main's net.
        ("edit-escapes", "import retouch.cli as m\nm.run_edit = boom", ["edit", "x.png"]),
        (
            "batch",
            "import retouch.cli_batch as m\nm._batch = boom",
            ["batch", "{photo}", "-p", "x"],
        ),
        ("fakehub", "import retouch.fakehub.cli as m\nm.main = boom", ["fakehub"]),
        ("self-test", "import retouch.selftest as m\nm.run_self_test = boom", ["--self-test"]),
        ("diagnose", "import retouch.core.diagnostics as m\nm.gather = boom", ["--diagnose"]),
    ],
)
def test_an_internal_error_is_one_line_and_the_traceback_is_in_the_log(
    case: str, patch: str, argv: list[str], tmp_path: Path
) -> None:
    data = tmp_path / "data"
    photo = make_photo(tmp_path)
    argv = [a.replace("{photo}", str(photo)) for a in argv]
    proc = run_program(RAISE + patch, argv, cli_env(data), tmp_path)
    _assert_one_line_and_logged(proc, data)


def test_an_error_on_another_thread_is_one_line_and_logged(tmp_path: Path) -> None:
    data = tmp_path / "data"
    # --diagnose installs the hooks; a thread then fails the way a worker's bug would.
    script = RAISE + textwrap.dedent(
        """
        import threading
        import retouch.core.diagnostics as m
        real = m.gather
        def gather(*a, **k):
            t = threading.Thread(target=boom, name="worker")
            t.start()
            t.join()
            raise RuntimeError("deliberate failure for the test")
        m.gather = gather
        """
    )
    proc = run_program(script, ["--diagnose"], cli_env(data), tmp_path)
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    # One line for the thread, one for the command: never a traceback.
    assert len(lines) == 2 and all(line.startswith("retouch: ") for line in lines), lines
    assert "uncaught exception in worker" in _log_text(data)
    assert proc.returncode == 1


def test_an_exception_after_main_goes_through_the_hook(tmp_path: Path) -> None:
    data = tmp_path / "data"
    script = textwrap.dedent(
        f"""
        import sys
        sys.argv = ["retouch", "--diagnose"]
        from retouch.__main__ import main
        main()
        raise RuntimeError({BOOM!r})
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", script],
        env=cli_env(data),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.stderr.strip().splitlines()[-1].startswith("retouch: internal error (RuntimeError)")
    assert f"RuntimeError: {BOOM}" in _log_text(data)


def test_without_a_writable_data_folder_errors_are_still_one_line(tmp_path: Path) -> None:
    # The data folder is a file: no log can be written; the user still gets one line.
    data = tmp_path / "data"
    data.write_text("not a folder")
    photo = make_photo(tmp_path)
    proc = run_program(
        RAISE + "import retouch.cli as m\nm._edit = boom",
        ["edit", str(photo), "-p", "x"],
        cli_env(data),
        tmp_path,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert lines and all(line.startswith("retouch: ") for line in lines), lines
    assert "Unexpected error (RuntimeError)" in proc.stderr


def test_warnings_logged_during_a_run_stay_off_the_terminal(tmp_path: Path) -> None:
    # A library or module warning (here: the app's own logger) goes to the log file only.
    data = tmp_path / "data"
    script = textwrap.dedent(
        """
        import logging
        import retouch.core.diagnostics as m
        real = m.gather
        def gather(*a, **k):
            logging.getLogger("retouch.core.editing").warning("result 1 failed: it was slow")
            logging.getLogger("somelibrary").error("a library complains")
            return real(*a, **k)
        m.gather = gather
        """
    )
    proc = run_program(script, ["--diagnose"], cli_env(data), tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "result 1 failed" not in proc.stderr and "library complains" not in proc.stderr
    text = _log_text(data)
    assert "result 1 failed: it was slow" in text and "a library complains" in text
