"""Issue 13 item 14, command-line side: ``retouch edit`` uses the hub's queue when it offers
it, so a killed edit is collected — never sent again — by ``retouch resume`` or by the next
``retouch edit``. Real subprocesses against the fake hub; SIGKILL, not a polite exit.

The fake hub advances a generation one step per poll; ``queue_steps`` huge means nothing
finishes until the test lets one (``finish_generation``), so every wait is on a real event
(the hub's recorded requests, the child's history rows).
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from retouch.core.history import HistoryStore
from retouch.fakehub import Fault
from tests import children
from tests.children import history_rows
from tests.cli.test_cli_edit import cli_env, make_photo, retouch

NEVER = 10**9


def _wait_for(cond: Any, proc: subprocess.Popen[str], what: str) -> None:
    hang_guard = time.monotonic() + 120
    while not cond():
        assert proc.poll() is None, (what, proc.communicate())
        assert time.monotonic() < hang_guard, f"never happened: {what}"
        time.sleep(0.05)


def finish_generation(hub: Any, index: int) -> None:
    with hub._lock:
        (gen,) = [g for g in hub._generations.values() if g.index == index]
    with gen.lock:
        gen.polls = hub.queue_steps - 1  # succeeds on its next poll


def _kill_mid_run(hub: Any, data: Path, cwd: Path, out: Path) -> None:
    """``retouch edit`` of 2 images through the queue, killed once the first is saved."""
    hub.queue_steps = NEVER
    proc = children.popen(
        [
            sys.executable,
            "-m",
            "retouch",
            "edit",
            "photo.png",
            "-p",
            "later",
            "-n",
            "2",
            "-o",
            str(out),
        ],
        env=cli_env(data, hub),
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(lambda: len(hub.queue_requests()) == 1, proc, "the edit was queued")
        _wait_for(lambda: any(r[1] != "[]" for r in history_rows(data)), proc, "ids recorded")
        finish_generation(hub, 0)
        # Saved = in the history (stored first) and then its copy in the output folder: a
        # kill between the two leaves the copy to be made (History's Save), not to test here.
        _wait_for(
            lambda: any(r[2] == 1 for r in history_rows(data)) and any(out.glob("photo-*.png")),
            proc,
            "result 1 saved",
        )
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
    assert len(list(out.glob("photo-*.png"))) == 1


def test_edit_uses_the_queue_when_the_hub_offers_it(
    hub_env: Any, tmp_path: Path, isolated_env: Path
):
    make_photo(tmp_path)
    proc = retouch(
        "edit", "photo.png", "-p", "x", "-n", "2", "--json", "-o", "out",
        env=cli_env(isolated_env, hub_env), cwd=tmp_path, queue=True,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert len(doc["results"]) == 2 and doc["collected_earlier"] == []
    probes = [r for r in hub_env.requests if r.method == "GET" and r.path == "/ai/queue"]
    assert len(probes) == 1
    (submit,) = hub_env.queue_requests()
    assert submit.json["num_generations"] == 2 and hub_env.edit_requests() == []
    with HistoryStore(isolated_env / "history") as store:
        (record,) = store.runs()
        assert record.mode == "queue" and len(record.generation_ids) == 2
        assert record.status == "succeeded"


def test_a_hub_without_the_queue_gets_the_blocking_edit(
    hub_env: Any, tmp_path: Path, isolated_env: Path
):
    hub_env.add_fault(Fault("status", path="/ai/queue", method="GET", status=404, times=5))
    make_photo(tmp_path)
    proc = retouch("edit", "photo.png", "-p", "x", env=cli_env(isolated_env, hub_env),
                   cwd=tmp_path, queue=True)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert len(hub_env.edit_requests()) == 1 and hub_env.queue_requests() == []


def test_a_killed_edit_is_collected_by_resume_without_resending(
    hub_env: Any, tmp_path: Path, isolated_env: Path
):
    make_photo(tmp_path)
    out = tmp_path / "out"
    _kill_mid_run(hub_env, isolated_env, tmp_path, out)
    hub_env.queue_steps = 1
    proc = retouch("resume", "-o", str(out), env=cli_env(isolated_env, hub_env), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    (collected,) = proc.stdout.splitlines()  # the one that was still on the hub
    assert Path(collected).exists() and Path(collected).parent == out
    # Every result is there: the one saved before the kill and the one collected now.
    assert len(list(out.glob("photo-*.png"))) == 2
    assert len(hub_env.queue_requests()) == 1 and hub_env.edit_requests() == []
    with HistoryStore(isolated_env / "history") as store:
        (record,) = store.runs()
        assert record.status == "succeeded" and len(record.outputs) == 2
    # Nothing is left: a second resume says so.
    again = retouch("resume", env=cli_env(isolated_env, hub_env), cwd=tmp_path)
    assert again.returncode == 0 and again.stdout == ""
    assert "nothing to collect" in again.stderr


def test_the_next_edit_collects_what_a_killed_one_left(
    hub_env: Any, tmp_path: Path, isolated_env: Path
):
    make_photo(tmp_path)
    out = tmp_path / "out"
    _kill_mid_run(hub_env, isolated_env, tmp_path, out)
    hub_env.queue_steps = 1
    proc = retouch(
        "edit", "photo.png", "-p", "next", "-o", str(out),
        env=cli_env(isolated_env, hub_env), cwd=tmp_path, queue=True,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "collected 1 result of 1 earlier edit left on the hub" in proc.stderr
    (own,) = proc.stdout.splitlines()  # stdout is this edit's result only
    assert Path(own).exists()
    assert len(list(out.glob("photo-*.png"))) == 3
    assert len(hub_env.queue_requests()) == 2  # the new edit only; the old one not resent
    with HistoryStore(isolated_env / "history") as store:
        runs = {r.prompt: r for r in store.runs()}
        assert runs["later"].status == "succeeded" and len(runs["later"].outputs) == 2
        assert runs["next"].status == "succeeded"


def test_ctrl_c_while_collecting_keeps_the_edit_on_the_hub(
    hub_env: Any, tmp_path: Path, isolated_env: Path
):
    make_photo(tmp_path)
    out = tmp_path / "out"
    _kill_mid_run(hub_env, isolated_env, tmp_path, out)
    polls_before = sum(1 for r in hub_env.requests if r.method == "GET")
    proc = children.popen(
        [sys.executable, "-m", "retouch", "resume", "-o", str(out)],
        env=cli_env(isolated_env, hub_env),
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(
            lambda: sum(1 for r in hub_env.requests if r.method == "GET") > polls_before,
            proc,
            "resume polls the hub",
        )
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=120)  # a hang guard
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 130 and "Cancelled." in err, err
    assert [r for r in hub_env.requests if r.method == "DELETE"] == []  # kept on the hub
    with HistoryStore(isolated_env / "history") as store:
        (record,) = store.runs()
        assert record.status == "interrupted" and record.collectable
