"""Everyday trust: two clients never share a folder, scripts get JSON and whole paths, a rejected scripted
answer stops the run, and errors say what to do."""

from __future__ import annotations

import json
import os
import string
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agent.render.versions import client_id, client_slug, slugify
from tests.conftest import EXAMPLES, socialplan


def _plan(brief: Path, out: Path, name: str | None = None) -> str:
    text = brief.read_text(encoding="utf-8")
    if name is not None:
        text = text.replace("name: Rosa's Taqueria", f'name: "{name}"')
    path = out.parent / f"brief-{client_id(name or 'x')}.yaml"
    path.write_text(text, encoding="utf-8")
    result = socialplan("plan", str(path), "--offline", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize(
    ("first", "second"), [("東京カフェ", "Кофейня Москва"), ("Café Zoë 東京", "Café Zoë 大阪"),
                          ("Café Zoë 東京", "Cafe Zoe Dongjing")],
)  # fmt: skip
def test_two_businesses_never_share_a_client_folder(tmp_path: Path, first: str, second: str) -> None:
    out = tmp_path / "out"
    a = _plan(EXAMPLES / "rosas-taqueria.yaml", out, first)
    b = _plan(EXAMPLES / "rosas-taqueria.yaml", out, second)
    assert a.endswith("/v1") and b.endswith("/v1") and Path(a).parent != Path(b).parent
    ids = {json.loads((Path(p) / "plan.json").read_text())["client_id"] for p in (a, b)}
    assert len(ids) == 2
    again = _plan(EXAMPLES / "rosas-taqueria.yaml", out, first)
    assert again == a.replace("/v1", "/v2")


def test_scripts_transliterate_to_ascii_folders() -> None:
    assert slugify("Кофейня Москва") == "kofeynya-moskva"
    assert slugify("Café Zoë 東京") == "cafe-zoe-dongjing"
    assert slugify("🍕🍕").startswith("client-") and slugify("") != slugify("🍕🍕")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=string.ascii_letters + " -'éüЖ東京", min_size=1, max_size=12), min_size=2,
                max_size=6, unique_by=lambda n: " ".join(n.casefold().split())))
def test_no_two_distinct_names_share_a_client_folder(tmp_path_factory: pytest.TempPathFactory,
                                                     names: list[str]) -> None:
    """Whatever the names, planning them one after another gives each its own folder."""
    out = tmp_path_factory.mktemp("out")
    folders: dict[str, str] = {}
    for name in names:
        identity = client_id(name)
        slug = client_slug(out, name, identity)
        (out / slug / "v1").mkdir(parents=True, exist_ok=True)
        plan = {"client_id": identity, "brief": {"business": {"name": name}}}
        (out / slug / "v1" / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
        folders[identity] = slug
    assert len(set(folders.values())) == len(folders)


def test_history_json_gives_parents_and_client_ids(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = _plan(EXAMPLES / "rosas-taqueria.yaml", out)
    for change in ("resources.monthly_budget=500", "goals.horizon_months=6"):  # each from the latest version
        assert socialplan("replan", str(Path(first).parent), "--set", change, "--offline").returncode == 0
    result = socialplan("history", str(Path(first).parent), "--json")
    data = json.loads(result.stdout)
    assert [(v["version"], v["parent"]) for v in data["versions"]] == [(1, None), (2, 1), (3, 2)]
    assert len({v["client_id"] for v in data["versions"]}) == 1
    assert not any(v["other_client"] for v in data["versions"])


def test_batch_and_sessions_print_json_and_whole_paths(tmp_path: Path) -> None:
    out = tmp_path / ("a-very-long-output-folder-name-" * 4)
    result = socialplan("batch", str(EXAMPLES / "rosas-taqueria.yaml"), "--offline", "--out", str(out), "--json")
    rows = json.loads(result.stdout)
    assert result.returncode == 0 and rows[0]["status"] == "ok" and Path(rows[0]["folder"]).is_dir()
    table = socialplan("batch", str(EXAMPLES / "rosas-taqueria.yaml"), "--offline", "--out", str(out))
    assert str(out) in table.stdout and "…" not in table.stdout
    assert json.loads(socialplan("sessions", "--out", str(out), "--json").stdout) == []


def test_unknown_set_keys_suggest_the_closest_path(tmp_path: Path) -> None:
    first = _plan(EXAMPLES / "rosas-taqueria.yaml", tmp_path / "out")
    cases = {"budget=5000": "resources.monthly_budget", "goal=sales": "goals.primary",
             "busines.name=X": "business.name"}  # fmt: skip
    for given_set, expected in cases.items():
        result = socialplan("replan", first, "--set", given_set, "--offline")
        assert result.returncode == 2 and f"did you mean {expected}?" in result.stderr


def test_a_missing_plan_path_is_reported_before_anything_is_asked(tmp_path: Path) -> None:
    result = socialplan("replan", str(tmp_path / "nope"), stdin="budget is 5000\n")
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and "not found" in result.stderr and "What changed" not in result.stdout


def test_bare_command_shows_help_and_version_prints_it() -> None:
    bare = socialplan()
    assert bare.returncode == 0 and "Usage" in bare.stdout and "error" not in bare.stderr
    version = socialplan("--version")
    assert version.returncode == 0 and version.stdout.startswith("socialplan ")


def test_kb_search_json_has_passage_and_file_and_platform_is_case_blind() -> None:
    result = socialplan("kb", "search", "best time to post", "-k", "2", "--platform", "Instagram", "--json")
    hits = json.loads(result.stdout)
    assert result.returncode == 0 and hits
    assert all(Path(h["file"]).is_file() and len(h["passage"]) > 20 for h in hits)


def test_a_rejected_scripted_answer_exits_2_and_resume_asks_it_again(tmp_path: Path) -> None:
    out = tmp_path / "out"
    answers = "Test Cafe\nA cafe with cakes\nCafe\nbanana\nb2c\n"
    result = socialplan("interview", "--offline", "--out", str(out), stdin=answers)
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if line]
    assert len(errors) == 1 and "'model'" in errors[0] and "'banana'" in errors[0]
    session = json.loads(socialplan("sessions", "--out", str(out), "--json").stdout)[0]["id"]
    resumed = socialplan("interview", "--offline", "--out", str(out), "--resume", session, stdin="quit\n")
    asked = [line for line in resumed.stdout.splitlines() if line.startswith("? ")]
    assert resumed.returncode == 3 and asked[0].startswith("? Do you sell to businesses")


def test_every_problem_of_a_brief_is_reported_in_one_run(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "business: {name: X, description: Y, industry: Z, model: b2z}\n"
        "audience: {description: people, age_min: 5, timezone: America/Chicago}\n"
        "goals: {primary: fame}\nresources: {monthly_budget: -5, team_hours_per_week: 4}\n",
        encoding="utf-8",
    )
    result = socialplan("plan", str(bad), "--offline", "--out", str(tmp_path / "out"))
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2 and len(lines) == 4 and all(line.startswith(f"error: {bad}: ") for line in lines)
    assert [line.split(": ")[2] for line in lines] == [
        "business.model", "audience.age_min", "goals.primary", "resources.monthly_budget",
    ]
    assert not (tmp_path / "out").exists()


def test_an_output_folder_that_cannot_be_written_is_one_line_and_exit_1(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    result = socialplan("plan", str(EXAMPLES / "rosas-taqueria.yaml"), "--offline", "--out", str(blocker / "out"))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"error: cannot write {blocker / 'out' / 'rosas-taqueria'}: not a directory (nothing was written)"
    ]


def importing_the_cli(pid: int) -> bool:
    """True once the process is inside the CLI's imports, past `main`'s Ctrl-C handling: it has loaded
    pydantic's compiled core (Linux: /proc/PID/maps). Signal masks are no guide: a child that has not yet
    exec'd Python still carries its parent's SIGINT handler."""
    try:
        return "pydantic_core" in Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return False  # no /proc here, or the process has ended: the caller's deadline decides


def test_ctrl_c_during_start_up_is_one_line_and_exit_130(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    import time

    # With DOCX and PDF (the CLI's default) the run lasts seconds, so the signal lands while it works.
    env = {**os.environ, "SOCIALPLAN_DOCUMENTS": "docx,pdf"}
    process = subprocess.Popen([sys.executable, "-m", "agent.cli", "plan", str(EXAMPLES / "acme-analytics.yaml"),
                                "--offline", "--out", str(tmp_path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=env)
    deadline = time.monotonic() + 30  # a loaded machine may take a while to start Python
    while not importing_the_cli(process.pid) and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.01)
    assert process.poll() is None, process.communicate()
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, (stdout[-500:], stderr)
    assert stderr.strip().splitlines() == ["error: interrupted"]
    assert not list(tmp_path.glob("*/v*"))  # no version folder, not even half of one


def test_back_at_the_confirm_step_asks_the_last_question_again(tmp_path: Path) -> None:
    from tests.test_interview import ANSWERS

    answers = "\n".join([*ANSWERS[:-1], "back"]) + "\n"
    result = socialplan("interview", "--offline", "--out", str(tmp_path), stdin=answers)
    asked = [line for line in result.stdout.splitlines() if line.startswith("? ")]
    assert result.returncode == 3 and asked[-2].startswith("? Approve this brief?")
    assert asked[-1].startswith(asked[-3])  # the last question of the interview, asked again (with its answer)


def test_after_back_the_earlier_answer_is_the_default(tmp_path: Path) -> None:
    answers = "Loop Coffee\nRoaster with a subscription\nback\n\n"
    result = socialplan("interview", "--offline", "--out", str(tmp_path), stdin=answers)
    asked = [line for line in result.stdout.splitlines() if line.startswith("? ")]
    assert asked[3] == "? In a sentence or two, what do you sell, and to whom? [Roaster with a subscription]"
    assert asked[4].startswith("? Which industry")  # the empty answer kept the earlier one


def test_resuming_a_finished_session_says_so_and_plans_nothing(tmp_path: Path) -> None:
    from tests.test_interview import ANSWERS

    done = socialplan("interview", "--offline", "--out", str(tmp_path), stdin="\n".join(ANSWERS) + "\n")
    folder = done.stdout.strip().splitlines()[-1]
    session = json.loads(socialplan("sessions", "--out", str(tmp_path), "--json").stdout)[0]["id"]
    again = socialplan("interview", "--offline", "--out", str(tmp_path), "--resume", session)
    assert again.returncode == 0
    assert again.stdout.strip() == f"session {session} had already finished; its plan is {folder}"
    assert sorted(p.name for p in Path(folder).parent.iterdir()) == ["v1"]


def test_presence_answers_carry_how_often_the_account_posts() -> None:
    from agent.interview.bank import bank, shown_answer
    from agent.interview.parse import parse_answer

    question = {q.id: q for q in bank()}["presence"]
    values = parse_answer(question, "linkedin 1200 2 a week, instagram ~850")
    assert values == {"presence": [{"platform": "linkedin", "followers": 1200, "posts_per_week": 2.0},
                                   {"platform": "instagram", "followers": 850}]}
    assert shown_answer(question, values) == "linkedin 1200 2 a week, instagram 850"


def test_the_confirm_summary_marks_a_dropped_platforms_account() -> None:
    from agent.interview.summary import brief_summary
    from agent.model.brief import Platform
    from tests.briefs import brief_from

    brief = brief_from("rosas-taqueria", exclude_platforms=["instagram"])
    accounts = next(line for line in brief_summary(brief).splitlines() if line.startswith("Accounts: "))
    assert "Instagram 850 (2 a week) (excluded: not in the plan)" in accounts
    assert "Facebook 1,400 (1 a week)" in accounts and Platform.instagram in brief.exclude_platforms
