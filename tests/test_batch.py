"""batch: many briefs in one process, a bad one reported and skipped, exit 2 at the end."""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from agent.api.batch import forks, pool_size, run_batch
from agent.graph.state import RunContext
from agent.model.brief_io import expand
from agent.model.plan_io import read_plan
from tests.conftest import EXAMPLES


def briefs_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "briefs"
    folder.mkdir()
    for brief in EXAMPLES.glob("*.yaml"):
        shutil.copy(brief, folder / brief.name)
    (folder / "broken.yaml").write_text("business: [\n")
    (folder / "notes.txt").write_text("not a brief")
    return folder


def test_expand_takes_brief_files_from_folders(tmp_path: Path) -> None:
    folder = briefs_folder(tmp_path)
    names = [p.name for p in expand([folder])]
    assert names == ["acme-analytics.yaml", "broken.yaml", "northwind-skincare.yaml", "rosas-taqueria.yaml"]


def test_batch_isolates_a_bad_brief(tmp_path: Path, context: RunContext) -> None:
    seen: list[str] = []
    results = run_batch([briefs_folder(tmp_path)], context, workers=3, on_done=lambda r: seen.append(r.source))
    assert [r.status for r in results] == ["ok", "bad input", "ok", "ok"]
    assert "broken.yaml: line 2: malformed YAML (" in results[1].error  # wording is libyaml's or PyYAML's
    assert sorted(seen) == sorted(r.source for r in results)
    for result in (r for r in results if r.status == "ok"):
        plan = read_plan(Path(result.folder))
        assert plan.version == 1 and result.client == plan.brief.business.name


def test_batch_cli_exit_code_and_table(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "agent.cli", "batch", str(briefs_folder(tmp_path)), "--out", str(out), "--offline",
         "--workers", "2"], capture_output=True, text=True, env=dict(os.environ), timeout=300)
    assert result.returncode == 2
    assert "3 of 4 briefs planned" in result.stdout
    assert result.stderr.strip().splitlines()[-1].startswith("error: ") and "broken.yaml" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["acme-analytics", "northwind-skincare", "rosas-taqueria"]


def test_worker_processes_make_the_same_plans_as_threads(tmp_path: Path, context: RunContext,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI's batch forks worker processes (offline, more than one core): each inherits the knowledge loaded
    before the fork and must plan exactly what a thread would, with a bad brief still reported in its place."""
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    folder = briefs_folder(tmp_path)
    assert forks(True, False, briefs=4, size=pool_size(2, llm=False))
    runs = {}
    for kind, processes in (("threads", False), ("processes", True)):
        out = tmp_path / kind
        seen: list[str] = []
        results = run_batch([folder], dataclasses.replace(context, out_dir=out), workers=2,
                            on_done=lambda r, seen=seen: seen.append(r.source), processes=processes)
        assert sorted(seen) == sorted(r.source for r in results)
        runs[kind] = results
    assert [r.status for r in runs["processes"]] == ["ok", "bad input", "ok", "ok"]
    assert [r.model_dump(exclude={"folder"}) for r in runs["processes"]] == \
        [r.model_dump(exclude={"folder"}) for r in runs["threads"]]
    for threaded, forked in zip(runs["threads"], runs["processes"], strict=True):
        if threaded.status == "ok":
            assert (Path(forked.folder) / "plan.json").read_text() == (Path(threaded.folder) / "plan.json").read_text()
            assert Path(forked.folder).parent.parent == tmp_path / "processes"


@pytest.mark.skipif(not forks(True, False, 2, 2) or (os.cpu_count() or 1) < 2, reason="needs fork and two cores")
def test_ctrl_c_during_a_forked_batch_is_one_line_and_leaves_only_whole_versions(tmp_path: Path) -> None:
    import signal
    import time

    folder = tmp_path / "briefs"
    folder.mkdir()
    for index in range(16):
        shutil.copy(EXAMPLES / "acme-analytics.yaml", folder / f"{index:02d}.yaml")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "agent.cli", "batch", str(folder), "--offline", "--out", str(out)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    deadline = time.monotonic() + 120
    while len(list(out.glob("*/v*"))) < 3 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)  # until the workers have written plans of their own (the parent writes the first)
    assert process.poll() is None, "the batch finished before it could be interrupted"
    before = len(list(out.glob("*/v*")))
    os.killpg(process.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the parent and its workers
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert stderr.strip().splitlines() == ["error: interrupted"]  # no traceback from any worker
    with pytest.raises(ProcessLookupError):
        os.killpg(process.pid, 0)  # no worker left running
    versions = list((out / "acme-analytics").iterdir())  # dot-folders included
    assert all(v.name.startswith("v") and (v / "plan.json").is_file() for v in versions)  # none half-written
    workers = pool_size(4, llm=False)
    assert before <= len(versions) <= before + workers  # at most the plans already being published: no new one
