"""``retouch batch`` as a user runs it: a real subprocess against the fake hub."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from retouch.core.batch import FINAL_STATES
from retouch.fakehub import Fault

ROOT = Path(__file__).resolve().parents[2]


def make_images(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"photo{i:02d}.png"
        Image.new("RGB", (64, 48), (20 * i % 255, 100, 50)).save(path)
        paths.append(path)
    return paths


def run_cli(
    args: list[str], hub, data_dir: Path, *, stdin: str | None = None, key: str = "test-key"
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "OXEN_API_KEY": key,
        "RETOUCH_API_BASE": hub.base_url,
        "RETOUCH_DATA_DIR": str(data_dir),
        "PYTHONPATH": str(ROOT / "desktop"),
    }
    return subprocess.run(
        [sys.executable, "-m", "retouch", "batch", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )


def test_batch_of_twelve_with_three_jobs(fake_hub, tmp_path, isolated_env):
    fake_hub.delay = 0.2
    make_images(tmp_path / "in", 12)
    out = tmp_path / "out"
    proc = run_cli(
        [str(tmp_path / "in"), "--prompt", "dusk", "--out", str(out), "--jobs", "3", "--yes"],
        fake_hub,
        isolated_env,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "12 images with GPT Image 2 Edit" in proc.stderr and "$2.64" in proc.stderr
    assert "[####################] 12/12 done" in proc.stderr
    assert fake_hub.max_in_flight == 3
    assert len(fake_hub.edit_requests()) == 12
    printed = proc.stdout.split()
    assert printed == [str(out / f"photo{i:02d}-1.png") for i in range(12)]
    assert all(Path(p).exists() and Path(p + ".json").exists() for p in printed)


def test_failures_exit_3_and_are_listed(fake_hub, tmp_path, isolated_env):
    fake_hub.add_fault(Fault("status", status=500, times=2))
    make_images(tmp_path / "in", 5)
    proc = run_cli(
        [str(tmp_path / "in"), "-p", "dusk", "--out", str(tmp_path / "out"), "-j", "1", "--yes"],
        fake_hub,
        isolated_env,
    )
    assert proc.returncode == 3, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "3/5 done, 2 failed" in proc.stderr
    assert "2 of 5 images failed:" in proc.stderr
    # With one job at a time the first two sent are the two that failed.
    assert "photo00.png" in proc.stderr and "photo01.png" in proc.stderr
    assert len(proc.stdout.split()) == 3


def test_json_output_and_params(fake_hub, tmp_path, isolated_env):
    inputs = make_images(tmp_path / "in", 2)
    ref = make_images(tmp_path / "ref", 1)[0]
    mask = tmp_path / "m.png"
    Image.new("L", (64, 48), 255).save(mask)
    proc = run_cli(
        [
            *map(str, inputs),
            "-p",
            "sketch it",
            "--out",
            str(tmp_path / "out"),
            "--model",
            "fake-style-edit",
            "--param",
            "style=sketch",
            "--param",
            "strength=70",
            "--num-images",
            "2",
            "--format",
            "webp",
            "--ref",
            str(ref),
            "--mask",
            str(mask),
            "--yes",
            "--json",
        ],
        fake_hub,
        isolated_env,
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["ok"] is True
    assert doc["estimated_cost"] == pytest.approx(4 * 0.05)
    assert [it["state"] for it in doc["items"]] == ["done", "done"]
    assert all(len(it["results"]) == 2 for it in doc["items"])
    assert doc["items"][0]["results"][0].endswith("photo00-1.webp")
    for rec in fake_hub.edit_requests():
        assert rec.json["style"] == "sketch" and rec.json["strength"] == 70
        assert rec.json["num_images"] == 2 and rec.json["output_format"] == "webp"
        assert len(rec.json["input_image"]) == 2
        assert rec.mask_size == (64, 48)


def test_per_file_masks_folder(fake_hub, tmp_path, isolated_env):
    a, b = make_images(tmp_path / "in", 2)
    masks = tmp_path / "masks"
    masks.mkdir()
    Image.new("L", (64, 48), 255).save(masks / f"{a.stem}.png")
    args = [str(tmp_path / "in"), "-p", "x", "--out", str(tmp_path / "o"), "--yes"]
    proc = run_cli(
        [*args, "--masks", str(masks)],
        fake_hub,
        isolated_env,
    )
    assert proc.returncode == 3
    assert f"{b}: No mask found" in proc.stderr
    assert len(fake_hub.edit_requests()) == 1


def test_without_a_terminal_it_refuses_unless_yes(fake_hub, tmp_path, isolated_env):
    make_images(tmp_path / "in", 2)
    proc = run_cli(
        [str(tmp_path / "in"), "-p", "dusk", "--out", str(tmp_path / "out")],
        fake_hub,
        isolated_env,
        stdin="y\n",
    )
    assert proc.returncode == 2
    assert "--yes" in proc.stderr
    assert "2 images" in proc.stderr  # the cost was shown first
    assert fake_hub.edit_requests() == []


@pytest.mark.parametrize(
    "args, message",
    [
        (["--jobs", "0"], "--jobs must be"),
        (["--num-images", "9"], "must be from 1 to 4"),
        (["--param", "bogus=1"], "not a parameter"),
        (["--mask", "missing.png"], "does not exist"),
        (["--model", "fake-chat"], "does not edit images"),
    ],
)
def test_usage_errors_exit_2_without_sending(fake_hub, tmp_path, isolated_env, args, message):
    make_images(tmp_path / "in", 1)
    proc = run_cli(
        [str(tmp_path / "in"), "-p", "x", "--out", str(tmp_path / "o"), "--yes", *args],
        fake_hub,
        isolated_env,
    )
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 2, proc.stderr
    assert message in proc.stderr
    assert fake_hub.edit_requests() == []


def test_missing_input_and_no_key(fake_hub, tmp_path, isolated_env):
    proc = run_cli([str(tmp_path / "nope"), "-p", "x", "--yes"], fake_hub, isolated_env)
    assert proc.returncode == 2 and "does not exist" in proc.stderr
    make_images(tmp_path / "in", 1)
    proc = run_cli([str(tmp_path / "in"), "-p", "x", "--yes"], fake_hub, isolated_env, key="")
    assert proc.returncode == 2 and "API key" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_unreachable_hub_exits_4(tmp_path, isolated_env):
    make_images(tmp_path / "in", 2)

    class Nowhere:
        base_url = "http://127.0.0.1:9/api"

    proc = run_cli([str(tmp_path / "in"), "-p", "x", "--yes"], Nowhere(), isolated_env)
    assert proc.returncode == 4, proc.stderr
    assert "Traceback" not in proc.stderr


def test_progress_bar_text():
    from retouch.cli_batch import progress_bar

    counts = dict.fromkeys(FINAL_STATES, 0) | {"done": 5, "failed": 1}
    assert progress_bar(counts, 12, width=8) == "[####----] 5/12 done, 1 failed"


def test_on_a_terminal_it_asks_first(monkeypatch, capsys):
    import io

    from retouch.cli_batch import _confirm
    from retouch.core import errors as E

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdin", Tty("y\n"))
    _confirm("3 images · ≈ $0.66", assume_yes=False)
    assert "Run it? [y/N]" in capsys.readouterr().err
    monkeypatch.setattr(sys, "stdin", Tty("\n"))
    with pytest.raises(E.InputError, match="Nothing was sent"):
        _confirm("3 images · ≈ $0.66", assume_yes=False)
