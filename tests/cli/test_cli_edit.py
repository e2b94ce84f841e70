"""``retouch edit`` and ``retouch fakehub`` as real subprocesses against the fake hub.

The exit-code table in ``tests/README.md`` is generated from ``CLI_CASES`` (see
``test_readme_cli_table_is_current``). No run may print a traceback.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from retouch import __version__
from retouch.fakehub import FakeHub, Fault
from tests import children

KEY = "test-key"
README = Path(__file__).resolve().parents[1] / "README.md"
BEGIN, END = "<!-- cli-matrix:begin -->", "<!-- cli-matrix:end -->"


def cli_env(data_dir: Path, hub: Any = None, key: str | None = KEY, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("OXEN_API_KEY", "RETOUCH_API_BASE")}
    env.update(
        RETOUCH_DATA_DIR=str(data_dir),
        # The subprocess must never touch the machine's real keyring.
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        PYTHONIOENCODING="utf-8",
    )
    if key is not None:
        env["OXEN_API_KEY"] = key
    if hub is not None:
        env["RETOUCH_API_BASE"] = hub.base_url
    env.update(extra)
    return env


def retouch(
    *args: str, env: dict[str, str], cwd: Path, timeout: float = 60, queue: bool = False
) -> subprocess.CompletedProcess[str]:
    """Run ``retouch`` and check it printed no traceback. ``retouch edit`` sends the blocking
    edit (``--no-queue``) unless *queue*: the fake hub offers the queue, and these cases are
    about the blocking edit (the queue has tests of its own, ``test_cli_queue.py``)."""
    if args and args[0] == "edit" and not queue:
        args = (*args, "--no-queue")
    proc = subprocess.run(
        [sys.executable, "-m", "retouch", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stdout, proc.stdout
    return proc


def make_photo(folder: Path, name: str = "photo.png", size: tuple[int, int] = (96, 64)) -> Path:
    path = folder / name
    Image.new("RGB", size, (50, 120, 200)).save(path)
    return path


def make_mask(folder: Path, size: tuple[int, int] = (48, 32)) -> Path:
    path = folder / "mask.png"
    mask = Image.new("L", size, 0)
    mask.paste(255, (0, 0, size[0] // 2, size[1]))
    mask.save(path)
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------------------------------
# Exit codes


@dataclass(frozen=True)
class CliCase:
    id: str
    tried: str
    args: Callable[[Path], list[str]]  # given the work folder
    exit: int
    says: str  # in stderr
    sent: bool  # did anything reach the hub?
    setup: Callable[[Any], None] | None = None
    env: Callable[[Path, Any], dict[str, str]] | None = None
    data: Callable[[Path], None] | None = None  # given the data folder, before the run
    #: Given the work folder: what happens while the hub works on the edit (after sending).
    mid_run: Callable[[Path], Callable[[], None]] | None = None


def _out_replaced_by_a_file(work: Path) -> Callable[[], None]:
    """The output folder goes away after it was checked (a drive unplugged, a clean-up)."""

    def replace() -> None:
        out = work / "out"
        for child in out.iterdir():
            child.unlink()
        out.rmdir()
        out.write_text("not a folder any more")

    return replace


def _while_the_hub_works(hub: Any, action: Callable[[], None]) -> None:
    real = hub._enter_edit

    def enter() -> None:
        real()
        action()

    hub._enter_edit = enter


def _damaged_history(data_dir: Path) -> None:
    """A real history whose pages were overwritten, as a failing disk leaves it."""
    import sqlite3

    from retouch.core.history import HistoryStore

    root = data_dir / "history"
    with HistoryStore(root) as store:
        for i in range(40):
            store.begin_run(
                model="m",
                prompt=f"{i} " + "x" * 400,
                params={},
                inputs=[],
                input_names=[],
                mask=None,
                estimated_cost=None,
            )
    db = root / "history.sqlite3"
    with sqlite3.connect(db) as conn:
        page = conn.execute("PRAGMA page_size").fetchone()[0]
    with open(db, "r+b") as fh:
        fh.seek(page)
        fh.write(bytes((i * 37) % 256 for i in range(3 * page)))


def _newer_history(data_dir: Path) -> None:
    import sqlite3

    from retouch.core.history import HistoryStore, schema

    HistoryStore(data_dir / "history").close()
    with sqlite3.connect(data_dir / "history" / "history.sqlite3") as conn:
        conn.execute(f"PRAGMA user_version = {schema.LATEST_VERSION + 3}")


def _black_mask(work: Path) -> list[str]:
    Image.new("L", (96, 64), 0).save(work / "black.png")
    return _edit("--mask", "black.png")(work)


def _edit(*extra: str) -> Callable[[Path], list[str]]:
    def args(work: Path) -> list[str]:
        make_photo(work)
        return ["edit", "photo.png", "--prompt", "a red kite", "-r", "1024x768", *extra]

    return args


def _masked_edit(*extra: str) -> Callable[[Path], list[str]]:
    def args(work: Path) -> list[str]:
        make_mask(work, (96, 64))
        return [*_edit("--mask", "mask.png", *extra)(work)]

    return args


def _huge_photo(work: Path) -> list[str]:
    # 1 bit per pixel: 182 megapixels in a small file, past what paste-back can hold.
    Image.new("1", (14000, 13000)).save(work / "huge.png")
    return ["edit", "huge.png", "--prompt", "a red kite"]


def _fault(**kw: Any) -> Callable[[Any], None]:
    return lambda hub: hub.add_fault(Fault(**kw))


CLI_CASES = [
    CliCase("ok", "a plain edit", _edit(), 0, "Waiting for the model", True),
    CliCase(
        "no-prompt",
        "`--prompt` missing",
        lambda w: ["edit", "photo.png"],
        2,
        "the following arguments are required: --prompt",
        False,
    ),
    CliCase(
        "bad-resolution",
        "`--resolution 999x999`",
        _edit("--resolution", "999x999"),
        2,
        "Resolution must be Auto or one of: 1024x768",
        False,
    ),
    CliCase(
        "num-images-7",
        "`--num-images 7`",
        _edit("-n", "7"),
        2,
        "Images must be from 1 to 4 (got 7)",
        False,
    ),
    CliCase(
        "unknown-param",
        "`--param seed=3`",
        _edit("--param", "seed=3"),
        2,
        "'seed' is not a parameter",
        False,
    ),
    CliCase(
        "bad-param-syntax",
        "`--param seed`",
        _edit("--param", "seed"),
        2,
        "--param needs NAME=VALUE",
        False,
    ),
    CliCase(
        "region-outside",
        "`--region 500,500,40,40` on a 96×64 photo",
        _edit("--region", "500,500,40,40"),
        2,
        "lies outside the image (96×64)",
        False,
    ),
    CliCase(
        "region-tiny",
        "`--region 10,10,4,4`",
        _edit("--region", "10,10,4,4"),
        2,
        "The region 4×4 is too small",
        False,
    ),
    CliCase(
        "region-syntax",
        "`--region 10,10`",
        _edit("--region", "10,10"),
        2,
        "give it as X,Y,WIDTH,HEIGHT",
        False,
    ),
    CliCase(
        "mask-outside-region",
        "a mask on the left half, `--region 60,0,30,30`",
        _masked_edit("--region", "60,0,30,30"),
        2,
        "The mask lies entirely outside the region",
        False,
    ),
    CliCase(
        "feather-negative",
        "`--feather -3`",
        _edit("--feather", "-3"),
        2,
        "The feather must be from 0 to 2000 pixels",
        False,
    ),
    CliCase(
        "aspect-unsupported",
        "`--aspect 16:9` for a model sized by resolution only",
        _edit("--aspect", "16:9"),
        2,
        "GPT Image 2 Edit takes no aspect ratio",
        False,
    ),
    CliCase(
        "photo-too-large",
        "a 14000×13000 photo (182 megapixels)",
        _huge_photo,
        2,
        "was refused as unsafe to open",
        False,
    ),
    CliCase(
        "missing-file",
        "input file does not exist",
        lambda w: ["edit", "nope.png", "--prompt", "x"],
        2,
        "'nope.png' does not exist",
        False,
    ),
    CliCase(
        "missing-mask",
        "mask file does not exist",
        _edit("--mask", "nomask.png"),
        2,
        "The mask 'nomask.png' does not exist",
        False,
    ),
    CliCase(
        "not-an-image",
        "input is a text file named `.png`",
        lambda w: [
            "edit",
            str((w / "fake.png").write_text("hello") and "fake.png"),
            "--prompt",
            "x",
        ],
        2,
        "'fake.png' is not an image Retouch can read",
        False,
    ),
    CliCase(
        "mask-other-shape",
        "mask 50×50 for a 96×64 photo",
        lambda w: _edit("--mask", str(make_mask(w, (50, 50))))(w),
        2,
        "their shapes differ",
        False,
    ),
    CliCase(
        "mask-all-black",
        "an all-black mask (it keeps everything)",
        _black_mask,
        2,
        "The mask is all black, so it keeps the whole image",
        False,
    ),
    CliCase(
        "no-key",
        "no `OXEN_API_KEY` and no keyring",
        _edit(),
        2,
        "No API key. Set OXEN_API_KEY",
        False,
        env=lambda d, hub: cli_env(d, hub, key=None),
    ),
    CliCase(
        "plain-http",
        "`--api-base http://hub.example.com/api`",
        _edit("--api-base", "http://hub.example.com/api"),
        2,
        "must use https://",
        False,
    ),
    CliCase(
        "bad-upload",
        "`--upload s3://bucket`",
        _edit("--upload", "s3://bucket"),
        2,
        "Upload method 's3://bucket' is not understood",
        False,
    ),
    CliCase(
        "out-is-a-file",
        "`--out` names an existing file",
        lambda w: [*_edit()(w), "--out", str((w / "taken").write_text("x") and w / "taken")],
        2,
        "The output folder",
        False,
    ),
    CliCase(
        "out-read-only",
        "`--out /sys/kernel`: a folder nothing can be written in (even by root)",
        _edit("--out", "/sys/kernel"),
        2,
        "The output folder '/sys/kernel' cannot be used",
        False,
    ),
    CliCase(
        "out-folder-vanishes",
        "the output folder replaced by a file while the hub works (after the check)",
        _edit(),
        5,
        "It is kept in Retouch's history",
        True,
        mid_run=_out_replaced_by_a_file,
    ),
    CliCase(
        "history-damaged",
        "the history database has damaged pages",
        _edit(),
        0,
        "not recorded in history: the history database is damaged",
        True,
        data=_damaged_history,
    ),
    CliCase(
        "history-newer",
        "the history was made by a newer Retouch",
        _edit(),
        0,
        "not recorded in history: the history was made by a newer Retouch",
        True,
        data=_newer_history,
    ),
    CliCase(
        "wrong-key",
        "the hub answers 401",
        _edit(),
        3,
        "The hub did not accept your API key",
        True,
        env=lambda d, hub: cli_env(d, hub, key="wrong-key"),
    ),
    CliCase(
        "server-500",
        "the hub answers 500",
        _edit(),
        3,
        "The hub had a problem on its side (500)",
        True,
        setup=_fault(kind="status", status=500),
    ),
    CliCase(
        "rate-limited",
        "the hub answers 429, `Retry-After: 5`",
        _edit(),
        3,
        "Try again in 5 s",
        True,
        setup=_fault(kind="status", status=429, retry_after=5),
    ),
    CliCase(
        "unknown-model",
        "`--model no-such-model` (asked of the hub)",
        _edit("--model", "no-such-model"),
        3,
        "The hub does not know this model",
        True,
    ),
    CliCase(
        "partial",
        "2 results asked, the first download answers 404",
        _edit("-n", "2"),
        3,
        "1 of 2 results saved; A result image is no longer available (404)",
        True,
        setup=_fault(kind="download_404", times=1),
    ),
    CliCase(
        "dropped",
        "connection dropped after sending",
        _edit(),
        4,
        "The edit may have been billed; it was not resent automatically",
        True,
        setup=_fault(kind="drop"),
    ),
    CliCase(
        "refused",
        "nothing listening at the hub address",
        _edit(),
        4,
        "Could not connect to the hub at '127.0.0.1'",
        False,
        env=lambda d, hub: cli_env(
            d, key=KEY, RETOUCH_API_BASE=f"http://127.0.0.1:{free_port()}/api"
        ),
    ),
]


@pytest.mark.parametrize("case", CLI_CASES, ids=[c.id for c in CLI_CASES])
def test_exit_codes(case: CliCase, fake_hub: Any, tmp_path: Path, isolated_env: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    if case.setup:
        case.setup(fake_hub)
    if case.data:
        case.data(isolated_env)
    env = case.env(isolated_env, fake_hub) if case.env else cli_env(isolated_env, fake_hub)
    if case.mid_run:
        _while_the_hub_works(fake_hub, case.mid_run(work))
    args = case.args(work)
    args[1:1] = ["--out", str(work / "out")]  # a case's own --out comes later and wins
    proc = retouch(*args, env=env, cwd=work)
    assert proc.returncode == case.exit, proc.stderr
    assert case.says in proc.stderr
    assert bool(fake_hub.requests) is case.sent, [(r.method, r.path) for r in fake_hub.requests]
    if case.exit not in (0, 3, 5):  # 5: the result kept elsewhere, its path printed
        assert proc.stdout == ""
    if case.data is not None:  # one clear line about it, and the edit went on
        assert sum("history" in line for line in proc.stderr.splitlines()) == 1, proc.stderr
    assert KEY not in proc.stdout + proc.stderr


def render_cli_table() -> str:
    lines = [
        "| id | what was tried | exit | stderr says | reached the hub |",
        "|---|---|---|---|---|",
    ]
    for c in CLI_CASES:
        cells = [f"`{c.id}`", c.tried, str(c.exit), f"“{c.says}”", "yes" if c.sent else "no"]
        lines.append("| " + " | ".join(x.replace("|", "\\|") for x in cells) + " |")
    return "\n".join(lines)


def test_readme_cli_table_is_current() -> None:
    text = README.read_text("utf-8")
    assert BEGIN in text and END in text, f"{README} needs the {BEGIN} … {END} markers"
    current = text.split(BEGIN, 1)[1].split(END, 1)[0].strip()
    expected = render_cli_table()
    assert current == expected, "tests/README.md's CLI table is out of date:\n\n" + expected


# ---------------------------------------------------------------------------------------
# Successful runs


def test_edit_with_mask_writes_webp_results_and_prints_paths(
    hub_env: Any, tmp_path: Path, isolated_env: Path
) -> None:
    make_photo(tmp_path)
    make_mask(tmp_path)  # half the size, same shape: resized to the photo
    out = tmp_path / "results here"
    proc = retouch(
        "edit",
        "photo.png",
        "--prompt",
        "turn the left half into a garden",
        "--mask",
        "mask.png",
        "--num-images",
        "2",
        "--format",
        "webp",
        "--resolution",
        "1024x768",
        "--out",
        str(out),
        env=cli_env(isolated_env, hub_env),
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    paths = [Path(line) for line in proc.stdout.splitlines()]
    assert len(paths) == 2 and len(set(paths)) == 2
    for path in paths:
        assert path.parent == out and path.suffix == ".webp"
        with Image.open(path) as im:
            im.load()
            # The photo comes back at its own size, in the format asked for (issue 12).
            assert im.format == "WEBP" and im.size == (96, 64)
        side = json.loads(path.with_name(path.name + ".json").read_text("utf-8"))
        assert side["prompt"] == "turn the left half into a garden"
        assert side["parameters"]["output_format"] == "webp"
        assert side["placement"]["plan"]["output_size"] == [1024, 768]
        assert side["placement"]["photo"]["size"] == [96, 64]
        assert side["result"]["placed"] is True
    (sent,) = hub_env.edit_requests()
    # What is sent has the shape of the resolution asked for: 4:3 cut from the 3:2 photo.
    assert sent.mask_size == (1024, 768) and sent.input_sizes == [(1024, 768)]
    assert sent.mask_white_fraction == pytest.approx(side["mask"]["coverage"], abs=0.01)
    assert sent.json["num_images"] == 2


def test_json_output(hub_env: Any, tmp_path: Path, isolated_env: Path) -> None:
    make_photo(tmp_path, "my phöto 写真.png")
    proc = retouch(
        "edit",
        "my phöto 写真.png",
        "-p",
        "snow",
        "-n",
        "3",
        "-r",
        "1024x768",
        "--json",
        "-o",
        str(tmp_path / "o"),
        env=cli_env(isolated_env, hub_env),
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["ok"] is True and doc["asked"] == 3 and doc["errors"] == []
    assert len(doc["results"]) == 3
    for item in doc["results"]:
        assert Path(item["path"]).exists() and Path(item["sidecar"]).exists()
        assert Path(item["path"]).name.startswith("my-phöto-写真-")
        assert item["revised_prompt"] == "snow"


def test_json_output_on_error(hub_env: Any, tmp_path: Path, isolated_env: Path) -> None:
    hub_env.add_fault(Fault("status", status=402, shape="message", message="Insufficient credits"))
    make_photo(tmp_path)
    proc = retouch(
        "edit",
        "photo.png",
        "-p",
        "x",
        "--json",
        env=cli_env(isolated_env, hub_env),
        cwd=tmp_path,
    )
    assert proc.returncode == 3
    doc = json.loads(proc.stdout)
    assert doc == {
        "ok": False,
        "error": doc["error"],
        "kind": "InsufficientCreditsError",
        "exit_code": 3,
    }
    assert "out of credits" in doc["error"]


def test_other_models_are_fetched_from_the_hub(
    hub_env: Any, tmp_path: Path, isolated_env: Path
) -> None:
    make_photo(tmp_path)
    args = ["edit", "photo.png", "-p", "x", "--model", "fake-style-edit", "--param", "style=sketch"]
    proc = retouch(*args, env=cli_env(isolated_env, hub_env), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    (sent,) = hub_env.edit_requests()
    assert sent.json["model"] == "fake-style-edit" and sent.json["style"] == "sketch"
    assert sent.json["strength"] == 50  # the hub's schema default, filled in by the client
    assert (isolated_env / "cache" / "models" / "fake-style-edit.json").exists()
    # Next time the cached schema is enough to validate before sending anything.
    hub_env.reset()
    bad = retouch(*args[:-1], "style=oil", env=cli_env(isolated_env, hub_env), cwd=tmp_path)
    assert bad.returncode == 2 and "Style must be one of: photo, sketch, watercolor" in bad.stderr
    assert hub_env.requests == []


def test_upload_to_an_oxen_repository(hub_env: Any, tmp_path: Path, isolated_env: Path) -> None:
    make_photo(tmp_path)
    make_mask(tmp_path)
    args = ["edit", "photo.png", "-p", "x", "-m", "mask.png", "--upload", "oxen:alice/inputs"]
    proc = retouch(*args, env=cli_env(isolated_env, hub_env), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "Uploading image 1 of 2" in proc.stderr and "Uploading the mask" in proc.stderr
    puts = [r for r in hub_env.requests if r.method == "PUT"]
    assert len(puts) == 2
    (sent,) = hub_env.edit_requests()
    assert sent.input_sources == ["repo"]
    assert sent.json["input_image"].startswith(hub_env.base_url + "/repos/alice/inputs/file/main/")
    # The same image again: nothing is uploaded twice (the cache lives in the data folder).
    hub_env.reset()
    hub_env.create_repo("alice", "inputs")
    for put in puts:
        path = put.path.split("/file/main/", 1)[1]
        hub_env.put_file("alice", "inputs", path, put.files["file"].data)
    again = retouch(*args, env=cli_env(isolated_env, hub_env), cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert [r.method for r in hub_env.requests if r.method in ("PUT", "POST")] == ["POST"]


def test_sigint_cancels_a_running_edit(hub_env: Any, tmp_path: Path, isolated_env: Path) -> None:
    hub_env.add_fault(Fault("delay", seconds=30))
    make_photo(tmp_path)
    proc = children.popen(
        [sys.executable, "-m", "retouch", "edit", "photo.png", "-p", "x", "--no-queue"],
        env=cli_env(isolated_env, hub_env),
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # Wait on the real condition: the hub has the edit, and the model "thinks".
        hang_guard = time.monotonic() + 120
        while [r.fault for r in hub_env.edit_requests()] != ["delay"]:
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < hang_guard, "the edit never reached the hub"
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=120)  # a hang guard, not a speed limit
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 130, err
    assert "Cancelled." in err and "Traceback" not in err
    assert out == ""
    assert len(hub_env.edit_requests()) == 1


def test_unencodable_paths_do_not_crash_an_ascii_console(
    hub_env: Any, tmp_path: Path, isolated_env: Path
) -> None:
    make_photo(tmp_path, "phöto.png")
    env = cli_env(isolated_env, hub_env, PYTHONIOENCODING="ascii")
    proc = retouch("edit", "phöto.png", "-p", "x", "-o", "out", env=env, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    (line,) = proc.stdout.splitlines()
    assert "ph\\xf6to-" in line  # escaped, not a crash
    (saved,) = (tmp_path / "out").glob("*.png")
    assert saved.name.startswith("phöto-")


def test_version_and_help(tmp_path: Path, isolated_env: Path) -> None:
    env = cli_env(isolated_env)
    proc = retouch("--version", env=env, cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout.strip() == f"retouch {__version__}"
    proc = retouch("edit", "--help", env=env, cwd=tmp_path)
    assert proc.returncode == 0 and "--prompt" in proc.stdout and "--mask" in proc.stdout
    proc = retouch("--bogus", env=env, cwd=tmp_path)
    assert proc.returncode == 2 and "unknown option --bogus" in proc.stderr


def test_key_is_in_no_file_after_runs(tmp_path: Path, isolated_env: Path) -> None:
    secret = "sk-live-CLI-SECRET-9876543210"
    with FakeHub(api_key=secret).start() as hub:
        make_photo(tmp_path)
        make_mask(tmp_path)
        out = tmp_path / "out"
        env = cli_env(isolated_env, hub, key=secret)
        ok = retouch(
            "edit",
            "photo.png",
            "-p",
            "x",
            "-m",
            "mask.png",
            "-n",
            "2",
            "-o",
            str(out),
            env=env,
            cwd=tmp_path,
        )
        assert ok.returncode == 0, ok.stderr
        hub.add_fault(Fault("download_404", times=1))
        partial = retouch(
            "edit",
            "photo.png",
            "-p",
            "x",
            "-n",
            "2",
            "-o",
            str(out),
            "--json",
            env=env,
            cwd=tmp_path,
        )
        assert partial.returncode == 3
        hub.add_fault(Fault("status", status=500))
        failed = retouch("edit", "photo.png", "-p", "x", "-o", str(out), env=env, cwd=tmp_path)
        assert failed.returncode == 3
        wrong = retouch(
            "edit",
            "photo.png",
            "-p",
            "x",
            "-o",
            str(out),
            env=cli_env(isolated_env, hub, key=secret + "-wrong"),
            cwd=tmp_path,
        )
        assert wrong.returncode == 3
        for proc in (ok, partial, failed, wrong):
            assert secret not in proc.stdout + proc.stderr
            assert "data:image" not in proc.stdout + proc.stderr
    files = [p for d in (isolated_env, out) for p in d.rglob("*") if p.is_file()]
    assert len(list(out.glob("*.png"))) == 3  # the history keeps its own copies elsewhere
    assert any(p.name == "history.sqlite3" for p in files)
    for path in files:
        data = path.read_bytes()
        assert secret.encode() not in data, path
        assert b"sig=" not in data, path


def test_fakehub_command_serves_and_stops_on_ctrl_c(tmp_path: Path, isolated_env: Path) -> None:
    proc = children.popen(
        [sys.executable, "-m", "retouch", "fakehub", "--port", "0"],
        env=cli_env(isolated_env),
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        banner = proc.stdout.readline()  # printed once the hub is serving
        assert banner.startswith("Fake Oxen hub on http://127.0.0.1:"), banner
        base = banner.split(" on ", 1)[1].split(" ", 1)[0]
        request = urllib.request.Request(
            base + "/ai/models", headers={"Authorization": "Bearer anything"}
        )
        with urllib.request.urlopen(request, timeout=30) as reply:
            doc = json.load(reply)
        assert "gpt-image-2-edit" in [m["id"] for m in doc["data"]]
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=120)  # a hang guard, not a speed limit
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    # 0 normally; 130 if Ctrl+C lands in the instant between the banner and the serving loop
    # (then ``retouch``'s own KeyboardInterrupt handler ends it). Never a traceback.
    assert proc.returncode in (0, 130), err
    assert "Traceback" not in banner + out + err


def test_parallel_edits_into_one_folder_never_share_a_name(
    fake_hub: Any, tmp_path: Path, isolated_env: Path
) -> None:
    """Eight ``retouch edit`` at once into one folder: eight paths, eight files, eight
    sidecars. The hub answers all of them together, so every result is saved within the
    same moment (same second in the name): only the run tag and an atomically taken name
    keep them apart."""
    import threading

    count = 8
    barrier = threading.Barrier(count, timeout=300)
    enter = fake_hub._enter_edit

    def together() -> None:
        enter()
        barrier.wait()  # hold every edit until all eight have arrived

    fake_hub._enter_edit = together
    make_photo(tmp_path)
    out = tmp_path / "out"
    env = cli_env(isolated_env, fake_hub)
    procs = [
        children.popen(
            [
                sys.executable,
                "-m",
                "retouch",
                "edit",
                "photo.png",
                "-p",
                "x",
                "-o",
                str(out),
                "--no-queue",
            ],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(count)
    ]
    results = []
    try:
        for proc in procs:
            results.append(proc.communicate(timeout=600))  # a hang guard
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
    for proc, (_out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err
        assert "Traceback" not in err
    printed = [Path(line) for out_text, _ in results for line in out_text.splitlines()]
    assert len(printed) == count and len(set(printed)) == count, printed
    files = sorted(out.glob("*.png"))
    assert files == sorted(printed)
    for path in files:
        side = json.loads(path.with_name(path.name + ".json").read_text("utf-8"))
        assert side["file"] == path.name
    run_ids = {json.loads(p.with_name(p.name + ".json").read_text())["run_id"] for p in files}
    assert len(run_ids) == count
    assert len(fake_hub.edit_requests()) == count


# ---------------------------------------------------------------------------------------
# A paid result is never lost (issue 13 item 1)


def test_a_result_the_output_folder_cannot_take_is_kept_in_history(
    fake_hub: Any, tmp_path: Path, isolated_env: Path
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    make_photo(work)
    _while_the_hub_works(fake_hub, _out_replaced_by_a_file(work))
    proc = retouch(
        "edit", "photo.png", "-p", "x", "-o", "out", "--json",
        env=cli_env(isolated_env, fake_hub), cwd=work,
    )  # fmt: skip
    assert proc.returncode == 5, proc.stderr
    doc = json.loads(proc.stdout)
    (result,) = doc["results"]
    kept = Path(result["path"])
    assert not result["in_output_folder"]
    assert "could not be saved in 'out'" in result["not_saved_because"]
    assert kept.is_relative_to(isolated_env / "history") and Image.open(kept).size
    assert f"It is kept in Retouch's history: {kept}" in proc.stderr
    assert len(fake_hub.edit_requests()) == 1


def test_a_result_neither_folder_nor_history_can_take_is_written_to_a_temp_folder(
    fake_hub: Any, tmp_path: Path, isolated_env: Path
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    make_photo(work)
    folder_gone = _out_replaced_by_a_file(work)

    def disks_fail() -> None:
        folder_gone()
        runs = isolated_env / "history" / "runs"  # the data disk is full
        if runs.exists():
            import shutil

            shutil.rmtree(runs)
        runs.write_text("no space left")

    _while_the_hub_works(fake_hub, disks_fail)
    proc = retouch(
        "edit", "photo.png", "-p", "x", "-o", "out",
        env=cli_env(isolated_env, fake_hub), cwd=work,
    )  # fmt: skip
    assert proc.returncode == 5, proc.stderr
    (line,) = proc.stdout.splitlines()
    rescued = Path(line)
    try:
        assert rescued.parent.name.startswith("retouch-unsaved-")
        Image.open(rescued).verify()  # the whole picture, readable
        assert "it is only in memory" in proc.stderr
        assert f"was written to {rescued} instead" in proc.stderr
    finally:
        import shutil

        shutil.rmtree(rescued.parent, ignore_errors=True)
