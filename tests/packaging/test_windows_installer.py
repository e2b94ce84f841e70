"""packaging/windows/retouch.iss and build.ps1: what can be checked without Inno Setup
(Windows only): the version defines, the 6.3 floor, the PATH task and its undoing, the
uninstall option for data and key, signing hooks."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ISS = (REPO / "packaging" / "windows" / "retouch.iss").read_text(encoding="utf-8")
BUILD = (REPO / "packaging" / "windows" / "build.ps1").read_text(encoding="utf-8")
TEST_INSTALL = (REPO / "packaging" / "windows" / "test_install.ps1").read_text(encoding="utf-8")


def section(name: str) -> str:
    match = re.search(rf"^\[{name}\]\n(.*?)(?=^\[\w+\]\n|\Z)", ISS, re.S | re.M)
    assert match, name
    return match.group(1)


def test_needs_inno_setup_63_and_numeric_version_info() -> None:
    assert "#if Ver < EncodeVer(6, 3, 0)" in ISS
    setup = section("Setup")
    assert "VersionInfoVersion={#AppVersionNumeric}" in setup
    assert "VersionInfoTextVersion={#AppVersion}" in setup
    assert "ArchitecturesAllowed=x64compatible" in setup
    assert "ChangesEnvironment=yes" in setup
    # build.ps1 passes both, the numeric one from pyi_common, and checks ISCC's version.
    assert '"/DAppVersion=$Version", "/DAppVersionNumeric=$Numeric"' in BUILD
    assert "windows_numeric_version" in BUILD
    assert '[version]"6.3.0"' in BUILD


def test_retouch_cli_on_path_is_a_task_and_undone_on_uninstall() -> None:
    tasks = section("Tasks")
    assert re.search(r'Name: "addtopath";.*retouch-cli', tasks)
    code = section("Code")
    assert "WizardIsTaskSelected('addtopath')" in code
    assert "AddToPath(ExpandConstant('{app}'))" in code
    uninstall = code[code.index("procedure CurUninstallStepChanged") :]
    assert "RemoveFromPath(ExpandConstant('{app}'))" in uninstall
    # The user's PATH for a per-user install, the system's for an all-users one.
    assert "HKEY_CURRENT_USER" in code and "HKEY_LOCAL_MACHINE" in code
    assert "RegWriteExpandStringValue" in code


def test_uninstall_can_remove_data_and_the_key_with_the_apps_own_command() -> None:
    code = section("Code")
    assert "'/REMOVEDATA'" in code
    assert "not UninstallSilent" in code and "MB_DEFBUTTON2" in code  # asked; default: keep
    assert "Exec(ExpandConstant('{app}\\{#CliExe}'), '--forget-key'" in code
    assert "DelTree(ExpandConstant('{userappdata}\\Retouch\\Retouch')" in code
    # The key is removed while the app is still there (usUninstall), data after.
    uninstall = code[code.index("procedure CurUninstallStepChanged") :]
    assert uninstall.index("usUninstall") < uninstall.index("--forget-key")
    assert uninstall.index("--forget-key") < uninstall.index("usPostUninstall")


def test_signing_hooks() -> None:
    assert "#ifdef SignTool" in ISS and "SignedUninstaller=yes" in ISS
    assert "signtool" in BUILD.lower() and "/tr $Timestamp" in BUILD
    assert "::warning::NOT SIGNED" in BUILD


def test_install_test_covers_path_version_and_both_uninstalls() -> None:
    assert "/VERYSILENT" in TEST_INSTALL and "/TASKS=addtopath" in TEST_INSTALL
    assert "--installed-version" in TEST_INSTALL
    assert 'Uninstall @("/REMOVEDATA")' in TEST_INSTALL and "Uninstall @()" in TEST_INSTALL
    assert "the PATH entry was not removed" in TEST_INSTALL
