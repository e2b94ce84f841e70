"""`retouch --diagnose` and `retouch --forget-key` (run by the uninstallers)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from retouch.__main__ import main
from retouch.core.secrets import SERVICE, USERNAME, set_api_key


def test_diagnose_prints_the_facts_and_never_the_key(
    capsys, monkeypatch, memory_keyring, isolated_env: Path
) -> None:
    set_api_key("sk-keyring-secret-5555")
    monkeypatch.setenv("OXEN_API_KEY", "sk-env-secret-7777")
    assert main(["--diagnose"]) == 0
    out, err = capsys.readouterr()
    for label in (
        "Retouch:",
        "Python:",
        "System:",
        "Qt:",
        "Qt platform plugin:",
        "Keyring backend:",
        "Data folder:",
        "Log file:",
        "API key:",
    ):
        assert label in out
    assert "MemoryKeyring" in out
    assert str(isolated_env) in out
    assert "set in the environment" in out
    both = out + err
    assert "secret" not in both and "5555" not in both and "7777" not in both


def test_diagnose_runs_as_a_command(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "OXEN_API_KEY"}
    env.update(
        RETOUCH_DATA_DIR=str(tmp_path / "data"),
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        QT_QPA_PLATFORM="offscreen",
    )
    proc = subprocess.run(
        [sys.executable, "-m", "retouch", "--diagnose"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Keyring backend:    none (no keyring service" in proc.stdout
    assert "Qt platform plugin: offscreen" in proc.stdout
    assert f"Data folder:        {tmp_path / 'data'}" in proc.stdout
    assert (
        "--diagnose"
        in subprocess.run(
            [sys.executable, "-m", "retouch", "--help"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        ).stdout
    )


def test_forget_key_removes_the_stored_key(capsys, memory_keyring) -> None:
    set_api_key("sk-to-forget-4242")
    assert memory_keyring.get_password(SERVICE, USERNAME) == "sk-to-forget-4242"
    assert main(["--forget-key"]) == 0
    assert memory_keyring.get_password(SERVICE, USERNAME) is None
    assert "was removed" in capsys.readouterr().out
    # Again: nothing left to remove is not an error (an uninstaller may run it twice).
    assert main(["--forget-key"]) == 0
    assert "No API key was stored" in capsys.readouterr().out


def test_forget_key_reports_a_key_it_could_not_remove(capsys, memory_keyring, monkeypatch) -> None:
    set_api_key("sk-stuck-1111")
    monkeypatch.setattr(type(memory_keyring), "delete_password", lambda *a: None)
    assert main(["--forget-key"]) == 1
    out, err = capsys.readouterr()
    assert "could not be removed" in err
    assert "1111" not in out + err


def test_forget_key_without_a_keyring(capsys) -> None:
    import keyring
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())
    assert main(["--forget-key"]) == 0
    assert "no key is stored" in capsys.readouterr().out
