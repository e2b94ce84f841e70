"""One version everywhere (packaging/check_version.py) and the Windows numeric version."""

from __future__ import annotations

import plistlib
import sys
from pathlib import Path

import pytest

import retouch

REPO = Path(__file__).resolve().parents[2]
PACKAGING = REPO / "packaging"
sys.path.insert(0, str(PACKAGING))

import check_version  # noqa: E402
import pyi_common  # noqa: E402

V = retouch.__version__


def test_the_sources_agree(capsys) -> None:
    assert check_version.main([]) == 0
    out = capsys.readouterr().out
    assert f"version check passed: {V}" in out
    assert check_version.metainfo_release() == V


def test_a_tag_must_match(capsys) -> None:
    assert check_version.main(["--tag", f"v{V}"]) == 0
    assert check_version.main(["--tag", V]) == 0
    assert check_version.main(["--tag", "v99.0.0"]) == 1
    assert "MISMATCH tag v99.0.0" in capsys.readouterr().out


def test_the_tag_comes_from_github_for_tag_builds(monkeypatch, capsys) -> None:
    monkeypatch.setenv("GITHUB_REF_TYPE", "tag")
    monkeypatch.setenv("GITHUB_REF_NAME", "v99.0.0")
    assert check_version.main([]) == 1
    monkeypatch.setenv("GITHUB_REF_TYPE", "branch")
    monkeypatch.setenv("GITHUB_REF_NAME", "main")
    assert check_version.main([]) == 0


def test_metainfo_release_must_match(tmp_path: Path) -> None:
    text = check_version.METAINFO.read_text(encoding="utf-8")
    other = tmp_path / "meta.xml"
    other.write_text(
        text.replace(f'<release version="{V}"', '<release version="0.0.9"', 1), encoding="utf-8"
    )
    results = check_version.checks(V, metainfo=other)
    assert [ok for ok, _ in results] == [True, False]


def test_artifacts_plist_installed_and_frozen(tmp_path: Path) -> None:
    plist = tmp_path / "Info.plist"
    plist.write_bytes(plistlib.dumps({"CFBundleShortVersionString": V}))
    exe = tmp_path / "retouch"
    exe.write_text(f"#!/bin/sh\necho 'retouch {V}'\n")
    exe.chmod(0o755)
    results = check_version.checks(
        V,
        artifacts=[Path(f"Retouch-{V}-windows-x64-setup.exe"), Path("Retouch-0.0.1-macos.dmg")],
        info_plists=[plist],
        installed=[f"{V}\r\n", "0.0.1"],
        frozen=[exe] if sys.platform != "win32" else [],
    )
    verdicts = {text: ok for ok, text in results}
    assert verdicts[f"artifact Retouch-{V}-windows-x64-setup.exe"] is True
    assert verdicts["artifact Retouch-0.0.1-macos.dmg"] is False
    assert verdicts[f"{plist}: CFBundleShortVersionString {V}"] is True
    assert verdicts[f"installed version {V}"] is True
    assert verdicts["installed version 0.0.1"] is False
    if sys.platform != "win32":
        assert verdicts[f"{exe} --version: 'retouch {V}'"] is True


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("0.2.0rc1", (0, 2, 0, 30001)),
        ("0.2.0", (0, 2, 0, 40000)),
        ("0.2", (0, 2, 0, 40000)),
        ("1", (1, 0, 0, 40000)),
        ("0.2.0a3", (0, 2, 0, 10003)),
        ("0.2.0b2", (0, 2, 0, 20002)),
        ("0.2.0.post1", (0, 2, 0, 40001)),
        ("0.2.0.dev5", (0, 2, 0, 5)),
        ("2.10.65535", (2, 10, 65535, 40000)),
    ],
)
def test_windows_numeric_version(text: str, numbers: tuple[int, ...]) -> None:
    assert pyi_common.windows_numeric_version(text) == numbers


def test_windows_numbers_sort_like_the_versions() -> None:
    from packaging.version import Version

    texts = [
        "0.2.0.dev1",
        "0.2.0a1",
        "0.2.0a2",
        "0.2.0b1",
        "0.2.0rc1",
        "0.2.0rc2",
        "0.2.0",
        "0.2.0.post1",
        "0.2.1.dev0",
        "0.2.1",
        "0.10.0rc1",
        "1.0.0",
    ]
    assert sorted(texts, key=Version) == texts
    numbers = [pyi_common.windows_numeric_version(t) for t in texts]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)


@pytest.mark.parametrize(
    "text", ["0.2.0rc1.dev1", "1.2.3.4", "1.0+local", "1!1.0", "banana", "70000.0", "1.0rc10000"]
)
def test_windows_numeric_version_refuses_what_it_cannot_order(text: str) -> None:
    with pytest.raises(ValueError):
        pyi_common.windows_numeric_version(text)


def test_the_spec_writes_the_numeric_version(tmp_path: Path) -> None:
    path = Path(pyi_common.windows_version_file(str(tmp_path), "Retouch", "Retouch", "R.exe"))
    text = path.read_text()
    numbers = pyi_common.windows_numeric_version(V)
    assert f"filevers={numbers}" in text and f"prodvers={numbers}" in text
    assert f"StringStruct('ProductVersion', '{V}')" in text
