"""Linux desktop entry and AppStream metadata."""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import retouch

REPO = Path(__file__).resolve().parents[2]
LINUX = REPO / "packaging" / "linux"
DESKTOP = LINUX / "retouch.desktop"
METAINFO = LINUX / "io.retouch.Retouch.metainfo.xml"
INSTALLED_DESKTOP_ID = "io.retouch.Retouch.desktop"  # the name install.sh gives it


def _desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive
    parser.read_string(DESKTOP.read_text(encoding="utf-8"))
    assert parser.sections() == ["Desktop Entry"]
    return parser["Desktop Entry"]


def test_desktop_entry_fields() -> None:
    entry = _desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Retouch"
    assert entry["Exec"] == "retouch %F"
    assert entry["Icon"] == "retouch"
    assert entry["Terminal"] == "false"
    mimes = entry["MimeType"].split(";")
    assert mimes[-1] == ""  # lists end with ';'
    assert {"image/png", "image/jpeg", "image/webp"} <= set(mimes)
    assert "Graphics" in entry["Categories"].split(";")
    assert entry["Categories"].endswith(";")


@pytest.mark.skipif(not shutil.which("desktop-file-validate"), reason="desktop-file-utils")
def test_desktop_file_validate() -> None:
    result = subprocess.run(
        ["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_metainfo_required_parts() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.tag == "component"
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == "io.retouch.Retouch"
    assert root.findtext("metadata_license") == "CC0-1.0"
    assert root.findtext("project_license")
    assert root.findtext("name") == "Retouch"
    assert root.findtext("summary")
    assert root.find("description/p") is not None
    launchable = root.find("launchable")
    assert launchable is not None
    assert launchable.get("type") == "desktop-id"
    assert launchable.text == INSTALLED_DESKTOP_ID
    assert root.find("content_rating").get("type").startswith("oars-")
    provides = {m.text for m in root.findall("provides/mediatype")}
    assert {"image/png", "image/jpeg", "image/webp"} <= provides


def test_metainfo_release_is_the_package_version() -> None:
    root = ET.parse(METAINFO).getroot()
    releases = root.findall("releases/release")
    assert releases, "at least one <release>"
    newest = releases[0]
    assert newest.get("version") == retouch.__version__
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", newest.get("date", ""))


def test_metainfo_screenshots_are_absolute_urls() -> None:
    root = ET.parse(METAINFO).getroot()
    for image in root.findall("screenshots/screenshot/image"):
        assert image.text.startswith("https://")


@pytest.mark.skipif(not shutil.which("appstreamcli"), reason="appstream not installed")
def test_appstreamcli_validate() -> None:
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(METAINFO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
