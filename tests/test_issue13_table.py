"""The window and command-line half of issue 13, as a table in ``tests/README.md``.

The core fault matrix (``core/test_core_fault_matrix.py``) covers what one edit meets; the
cases below go through the window or the CLI. Each row names the test that proves it;
``test_every_row_names_a_real_test`` fails when one is renamed or removed, and
``test_readme_issue13_table_is_current`` when the README copy drifts. Regenerate with
``.venv/bin/python -m tests.test_issue13_table``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

README = Path(__file__).resolve().parent / "README.md"
BEGIN, END = "<!-- issue13:begin -->", "<!-- issue13:end -->"


@dataclass(frozen=True)
class Row:
    id: str
    item: str  # the issue's item number
    tried: str
    happens: str
    test: str  # tests/<path>.py::<function>


ROWS = [
    Row(
        "out-folder-gone-window",
        "1",
        "the output folder replaced by a file while the hub works",
        "kept in history and the gallery; the banner says where, with Save to Another "
        "Folder…, which writes it under its own name",
        "ui/test_results_kept.py::test_a_result_the_folder_cannot_take_is_kept_in_history_and_saved_elsewhere",
    ),
    Row(
        "data-disk-full-window",
        "1",
        "the history's disk full as well",
        "the bytes stay in the gallery; the results view's Save to Another Folder… saves them",
        "ui/test_results_kept.py::test_with_the_data_disk_full_too_the_result_stays_in_memory_and_can_be_saved",
    ),
    Row(
        "out-read-only-window",
        "1",
        "an output folder nothing can be written in (`/sys/kernel`)",
        "found before sending: the banner says so with Open Settings…; nothing sent",
        "ui/test_results_kept.py::test_an_output_folder_nothing_can_be_written_in_is_found_before_sending",
    ),
    Row(
        "out-folder-gone-cli",
        "1",
        "`retouch edit`: the output folder replaced by a file mid-run",
        "exit 5; stderr names the history file; `--json` says `in_output_folder: false`",
        "cli/test_cli_edit.py::test_a_result_the_output_folder_cannot_take_is_kept_in_history",
    ),
    Row(
        "data-disk-full-cli",
        "1",
        "`retouch edit`: the output folder and the history's disk both fail",
        "exit 5; the result written to a new `retouch-unsaved-…` temp folder, named on stderr",
        "cli/test_cli_edit.py::test_a_result_neither_folder_nor_history_can_take_is_written_to_a_temp_folder",
    ),
    Row(
        "damaged-history-window",
        "4",
        "the history database has damaged pages at start",
        "the window starts without it and says so; Start a Fresh History keeps the old file "
        "as `history.sqlite3.damaged-DATE` and names it; runs are recorded again",
        "ui/test_history_at_start.py::test_a_damaged_history_is_reported_and_a_fresh_one_started",
    ),
    Row(
        "newer-history-window",
        "4",
        "the history was made by a newer Retouch",
        "opened read-only: History shows it (no star, delete or import), runs work and say "
        "they are not recorded; the file is untouched",
        "ui/test_history_at_start.py::test_a_newer_history_is_read_only_and_runs_are_not_recorded",
    ),
    Row(
        "max-wait-setting",
        "6",
        "Settings → Wait for an edit up to 42 min",
        "`max_edit_wait` reaches the client's limits",
        "ui/test_queue_runs.py::test_the_max_wait_setting_reaches_the_client",
    ),
    Row(
        "max-wait-sync",
        "6",
        "a blocking edit past its maximum wait",
        "“may still finish and be billed”, Open Settings…; the edit sent once",
        "ui/test_queue_runs.py::test_a_sync_edit_past_the_max_wait_says_it_may_still_be_billed",
    ),
    Row(
        "max-wait-queue",
        "6",
        "a queued edit past its maximum wait",
        "“It may still be billed; it is left on the hub”; not deleted; History shows it "
        "“On the hub”; Collect Results (or History's Open) collects it, nothing resent",
        "ui/test_queue_runs.py::test_a_queued_edit_past_the_max_wait_stays_collectable",
    ),
    Row(
        "mask-all-black-window",
        "7",
        "a painted mask of faint pixels only (under the 50 % a run keeps)",
        "Run disabled with “The mask is all black: nothing would change. …”; a stroke or "
        "Clear brings it back",
        "ui/test_mask_all_black.py::test_a_mask_of_faint_pixels_only_disables_run_with_the_reason",
    ),
    Row(
        "cli-internal-error",
        "9",
        "a bug inside `retouch edit`, `batch`, `fakehub`, `--self-test`, `--diagnose`",
        "one `retouch:` line naming the log file, exit 1; the traceback in the log file",
        "cli/test_cli_logging.py::test_an_internal_error_is_one_line_and_the_traceback_is_in_the_log",
    ),
    Row(
        "cli-thread-error",
        "9",
        "an uncaught exception on another thread of a CLI run",
        "one line (threading.excepthook), the traceback in the log",
        "cli/test_cli_logging.py::test_an_error_on_another_thread_is_one_line_and_logged",
    ),
    Row(
        "presets-20000",
        "10",
        "importing 20,000 presets (15,000 name clashes)",
        "linear merge (2,000→4,000 presets: 1.99× the calls) on a worker with a progress "
        "bar; the banner gives the outcome",
        "ui/test_presets_bar.py::test_importing_20000_presets_runs_on_a_worker_with_progress",
    ),
    Row(
        "presets-linear",
        "10",
        "the merge's work for 2,000 and 4,000 presets, counted with `sys.setprofile`",
        "grows 2× (the old merge grew 7.8× from 200 to 400)",
        "core/test_imports_hostile.py::test_preset_import_work_grows_linearly",
    ),
    Row(
        "import-wrong-types",
        "10",
        "every field of a presets file and a run zip's `run.json` given every JSON type",
        "the importer's own error (`PresetError`, `ArchiveError`) or a clean import; the "
        "window says it",
        "core/test_imports_hostile.py::test_a_run_zip_with_any_wrong_type_gives_the_importers_message",
    ),
    Row(
        "keyring-refuses-window",
        "13",
        "the keyring refuses the key in the Welcome dialog (and in Settings)",
        "“kept for this session only because the keyring refused it …” with Retry, which "
        "stores it once the keyring lets it",
        "ui/test_key_dialogs.py::test_welcome_says_the_key_is_kept_for_the_session_and_retry_stores_it",
    ),
    Row(
        "quit-keep-running",
        "14",
        "quitting mid-run with a queued edit: Keep It Running",
        "no DELETE; the next start collects it and shows all its results and its input",
        "ui/test_queue_runs.py::test_quit_keep_running_leaves_it_on_the_hub_and_the_next_start_collects_all",
    ),
    Row(
        "quit-cancel",
        "14",
        "quitting mid-run with a queued edit: Cancel the Edit",
        "every generation deleted on the hub",
        "ui/test_queue_runs.py::test_quit_cancel_deletes_the_queued_generations",
    ),
    Row(
        "window-sigkill-queue",
        "14",
        "the window SIGKILLed with 1 of 2 queued results saved",
        "the next start shows both and the input; one POST to the queue in all",
        "ui/test_history_session.py::test_sigkill_during_a_queue_run_is_collected_on_next_start",
    ),
    Row(
        "cli-sigkill-resume",
        "14",
        "`retouch edit` SIGKILLed with 1 of 2 queued results saved, then `retouch resume`",
        "the other collected, every result present; nothing resent",
        "cli/test_cli_queue.py::test_a_killed_edit_is_collected_by_resume_without_resending",
    ),
    Row(
        "cli-next-edit-collects",
        "14",
        "the next `retouch edit` after a killed one",
        "collects what was left first (a note on stderr), then its own edit",
        "cli/test_cli_queue.py::test_the_next_edit_collects_what_a_killed_one_left",
    ),
    Row(
        "rerun-name",
        "15",
        "Open, then Run, and Re-run from History",
        "results and history named by the original file name, not the stored copy's hash",
        "ui/test_history_session.py::test_open_and_rerun_from_history_keep_the_inputs_name",
    ),
    Row(
        "run-app-in-process",
        "—",
        "`run_app` in-process (demo window, exec, quit), then a batch",
        "event loops and thread reports still run (a stale Quit had left Qt's quit-now flag "
        "set: every item stayed “Waiting”)",
        "ui/test_app_in_process.py::test_after_run_app_in_process_event_loops_and_batches_still_run",
    ),
]


def render_table() -> str:
    lines = [
        "| id | item | what was tried | what happens | test |",
        "|---|---|---|---|---|",
    ]
    for r in ROWS:
        cells = [f"`{r.id}`", r.item, r.tried, r.happens, f"`{r.test.split('::')[1]}`"]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)


def test_every_row_names_a_real_test() -> None:
    assert len({r.id for r in ROWS}) == len(ROWS)
    for row in ROWS:
        path, name = row.test.split("::")
        module = importlib.import_module("tests." + path.removesuffix(".py").replace("/", "."))
        assert callable(getattr(module, name, None)), row.test


def test_readme_issue13_table_is_current() -> None:
    text = README.read_text("utf-8")
    assert BEGIN in text and END in text, f"{README} needs the {BEGIN} … {END} markers"
    current = text.split(BEGIN, 1)[1].split(END, 1)[0].strip()
    assert current == render_table(), "tests/README.md's issue-13 table is out of date"


if __name__ == "__main__":
    print(render_table())
