"""The GitHub Actions workflows (.github/workflows): loaded and checked for what the release
relies on. (actionlint itself is not installable from the registries these machines reach.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
WORKFLOWS = REPO / ".github" / "workflows"
README = REPO / "packaging" / "README.md"


def load(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as True.
    data["on"] = data.pop(True, data.get("on"))
    return data


def steps(job: dict) -> list[dict]:
    return job["steps"]


def runs(job: dict) -> str:
    return "\n".join(s.get("run", "") for s in steps(job))


@pytest.fixture(scope="module")
def release() -> dict:
    return load("release.yml")


@pytest.mark.parametrize("name", ["release.yml", "ci.yml"])
def test_every_action_is_pinned_to_a_full_version(name: str) -> None:
    text = (WORKFLOWS / name).read_text(encoding="utf-8")
    uses = re.findall(r"uses:\s*(\S+)", text)
    assert uses
    for ref in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+\.\d+\.\d+", ref), f"{ref} is not pinned"


@pytest.mark.parametrize("name", ["release.yml", "ci.yml"])
def test_every_job_has_a_timeout_and_steps(name: str) -> None:
    data = load(name)
    assert data["on"]
    for job_id, job in data["jobs"].items():
        assert isinstance(job.get("timeout-minutes"), int), job_id
        assert steps(job), job_id
        for step in steps(job):
            assert ("uses" in step) != ("run" in step), (job_id, step)


def test_release_runs_on_tags_and_by_hand(release: dict) -> None:
    assert release["on"]["push"]["tags"] == ["v*"]
    assert "workflow_dispatch" in release["on"]
    assert release["permissions"] == {"contents": "read"}


def test_release_jobs_and_platforms(release: dict) -> None:
    jobs = release["jobs"]
    assert set(jobs) == {"version", "linux", "windows", "macos", "publish"}
    assert jobs["linux"]["runs-on"] == "ubuntu-22.04"  # the glibc 2.35 floor, natively
    assert jobs["windows"]["runs-on"].startswith("windows-")
    archs = {(m["runner"], m["arch"]) for m in jobs["macos"]["strategy"]["matrix"]["include"]}
    assert {a for _, a in archs} == {"arm64", "x86_64"}
    assert jobs["macos"]["env"]["RETOUCH_MACOS_ARCH"] == "${{ matrix.arch }}"
    for job_id in ("linux", "windows", "macos"):
        assert jobs[job_id]["needs"] == "version"
    assert sorted(jobs["publish"]["needs"]) == ["linux", "macos", "windows"]
    assert jobs["publish"]["permissions"] == {"contents": "write"}


@pytest.mark.parametrize(
    ("job_id", "build"),
    [
        ("linux", "packaging/build_linux.sh --require-window --tarball"),
        ("windows", r"packaging\windows\build.ps1"),
        ("macos", "packaging/macos/make_dmg.sh"),
    ],
)
def test_each_build_installs_tests_and_builds(release: dict, job_id: str, build: str) -> None:
    job = release["jobs"][job_id]
    text = runs(job)
    assert 'install -e ".[test,package]"' in text
    assert "-m pytest" in text
    assert build in text
    # The tests run offscreen; the build's first-window test must not: it uses the native
    # plugin (xcb under Xvfb, qwindows, cocoa).
    build_step = next(s for s in steps(job) if build in s.get("run", ""))
    assert "offscreen" not in build_step["run"]
    assert "offscreen" not in str(build_step.get("env", {}))
    assert "offscreen" not in str(job.get("env", {}))
    uploads = [s for s in steps(job) if s.get("uses", "").startswith("actions/upload-artifact")]
    assert uploads and uploads[0]["with"]["if-no-files-found"] == "error"


def test_windows_installs_and_uninstalls_silently_with_pinned_inno_setup(release: dict) -> None:
    job = release["jobs"]["windows"]
    assert r"packaging\windows\test_install.ps1" in runs(job)
    version = tuple(int(x) for x in release["env"]["INNO_SETUP_VERSION"].split("."))
    assert version >= (6, 3, 0)
    assert "choco install innosetup --version=${{ env.INNO_SETUP_VERSION }}" in runs(job)


def test_secrets_never_appear_inside_a_command(release: dict) -> None:
    for job_id, job in release["jobs"].items():
        for step in steps(job):
            assert "secrets." not in step.get("run", ""), (job_id, step.get("name"))


def test_missing_signing_secrets_are_said_in_the_log(release: dict) -> None:
    for job_id, flag, secret in (
        ("windows", "HAVE_WINDOWS_CERTIFICATE", "WINDOWS_CERTIFICATE_PFX"),
        ("macos", "HAVE_MACOS_CERTIFICATE", "MACOS_CERTIFICATE_P12"),
        ("macos", "HAVE_NOTARY_KEY", "APPLE_API_KEY_P8"),
    ):
        job = release["jobs"][job_id]
        assert job["env"][flag] == f"${{{{ secrets.{secret} != '' }}}}"
        warned = [s for s in steps(job) if s.get("if") == f"env.{flag} != 'true'"]
        assert warned and "::warning::" in warned[0]["run"] and "NOT" in warned[0]["run"]
        used = [s for s in steps(job) if s.get("if") == f"env.{flag} == 'true'"]
        assert used


def test_the_secrets_used_are_the_documented_ones(release: dict) -> None:
    text = (WORKFLOWS / "release.yml").read_text(encoding="utf-8")
    used = set(re.findall(r"secrets\.([A-Z0-9_]+)", text))
    assert used == {
        "WINDOWS_CERTIFICATE_PFX",
        "WINDOWS_CERTIFICATE_PASSWORD",
        "MACOS_CERTIFICATE_P12",
        "MACOS_CERTIFICATE_PASSWORD",
        "MACOS_SIGNING_IDENTITY",
        "APPLE_API_KEY_P8",
        "APPLE_API_KEY_ID",
        "APPLE_API_ISSUER_ID",
    }
    guide = README.read_text(encoding="utf-8")
    for name in used:
        assert f"`{name}`" in guide, f"{name} is not documented in packaging/README.md"


def test_publish_checks_versions_and_writes_sha256sums(release: dict) -> None:
    text = runs(release["jobs"]["publish"])
    assert "packaging/check_version.py" in text and "--artifact" in text
    assert "sha256sum" in text and "SHA256SUMS" in text
    assert "gh release create" in text and "--draft" in text
    assert "python packaging/check_version.py" in runs(release["jobs"]["version"])


def test_the_scripts_the_workflows_run_exist() -> None:
    for name in ("release.yml", "ci.yml"):
        text = (WORKFLOWS / name).read_text(encoding="utf-8")
        for path in set(
            re.findall(r"(?:packaging|\.ci)[\\/][\w./\\-]+\.(?:sh|ps1|py)|\.ci/run", text)
        ):
            assert (REPO / path.replace("\\", "/")).is_file(), path


def test_ci_runs_the_tests_everywhere_and_ci_run_on_linux() -> None:
    ci = load("ci.yml")
    assert set(ci["jobs"]["tests"]["strategy"]["matrix"]["os"]) >= {
        "ubuntu-22.04",
        "windows-2022",
        "macos-14",
    }
    assert "bash .ci/run" in runs(ci["jobs"]["linux-build"])
