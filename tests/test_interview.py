"""The interview as users run it: stdin-driven sessions, bad answers, back, confirm edits, pause and resume.

The uncut session runs once per module (`whole`). Pause-and-resume and kill-and-resume each keep one case that
runs every step as a real process; their other cut points resume through the same entry point in this process
(`socialplan()`), and a killed interview is always a real process. The exact messages for bad answers, help and
confirm edits are checked in this process too; exit 2 (unknown session), `back` and analytics run as real processes.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import socialplan

ANSWERS = [
    "Loop Coffee",                                   # name
    "Specialty coffee roaster with a subscription",  # description
    "Food and drink",                                # industry
    "2",                                             # model: b2c
    "",                                              # stage: default early
    "https://loop.example",                          # website
    "UK",                                            # locations
    "Home baristas who buy beans online",            # audience
    "25-45",                                         # ages
    "",                                              # gender: any
    "London",                                        # timezone
    "coffee brewing, sustainability",                # interests
    "sales",                                         # goal
    "",                                              # secondary: none
    "3",                                             # horizon
    "",                                              # target
    "£3k",                                           # budget + currency
    "10",                                            # hours
    "images, short video, stories",                  # formats
    "instagram 2400",                                # presence
    "",                                              # exclude
    "Grind Co",                                      # competitors
    "2027-01-04",                                    # start
    "",                                              # confirm: approve
]


def interview(tmp_path: Path, lines: list[str], *extra: str, real: bool = True) -> subprocess.CompletedProcess[str]:
    """`socialplan interview` fed `lines` on stdin: a real process, or (real=False) in this process."""
    text = "".join(f"{line}\n" for line in lines)
    if not real:
        return socialplan("interview", "--offline", "--out", str(tmp_path), *extra, stdin=text)
    return subprocess.run([sys.executable, "-m", "agent.cli", "interview", "--offline", "--out", str(tmp_path), *extra],
                          input=text, capture_output=True, text=True, env=dict(os.environ), timeout=300)


def sessions(tmp_path: Path, real: bool = True) -> subprocess.CompletedProcess[str]:
    """`socialplan sessions`: a real process, or (real=False) in this process."""
    if not real:
        return socialplan("sessions", "--out", str(tmp_path))
    return subprocess.run([sys.executable, "-m", "agent.cli", "sessions", "--out", str(tmp_path)],
                          capture_output=True, text=True, env=dict(os.environ), timeout=60)


@pytest.fixture(scope="module")
def whole(tmp_path_factory: pytest.TempPathFactory) -> subprocess.CompletedProcess[str]:
    """The uncut offline session, every answer piped to a real process (run once for the module)."""
    return interview(tmp_path_factory.mktemp("uncut"), ANSWERS)


def questions(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if line.startswith("? ")]


def session_of(stdout: str) -> str:
    line = stdout.strip().splitlines()[-1]
    assert line.startswith("resume with: socialplan interview --resume "), line
    return line.split("--resume ")[1].split()[0]


def plan_of(folder: Path) -> dict:
    data = json.loads((folder / "plan.json").read_text())
    for key in ("version", "created_at"):
        data.pop(key)
    return data


def test_full_offline_session_to_a_plan(whole: subprocess.CompletedProcess[str]) -> None:
    result = whole
    assert result.returncode == 0, result.stdout + result.stderr
    asked = questions(result.stdout)
    assert asked[0] == "? What is the business called?"
    assert len(asked) == len(ANSWERS)
    folder = Path(result.stdout.splitlines()[-1])
    plan = json.loads((folder / "plan.json").read_text())
    brief = plan["brief"]
    assert brief["business"]["model"] == "b2c" and brief["audience"]["timezone"] == "Europe/London"
    assert brief["resources"]["monthly_budget"] == 3000 and brief["resources"]["currency"] == "GBP"
    assert brief["presence"] == [{"platform": "instagram", "followers": 2400, "posts_per_week": 0.0,
                                  "engagement_rate": None}]
    assert "  Business: Loop Coffee (Food and drink, B2C, early stage), https://loop.example" in result.stdout


def test_a_scripted_wrong_answer_stops_the_run_and_resume_asks_it_again(tmp_path: Path) -> None:
    """Piped answers never slide: each rejected answer ends the run (exit 2, one line naming the question and
    the answer), and --resume asks that question again with the reason."""
    expected = {
        "ancient": "expected a range like 25-40, got 'ancient'",
        "5-9": "audience.age_min: input should be greater than or equal to 13",
        "Narnia": "unknown time zone 'Narnia'",
    }
    first = interview(tmp_path, ANSWERS[:8] + ["ancient", *ANSWERS[8:]], real=False)
    assert first.returncode == 2 and "'ancient'" in first.stderr and expected["ancient"] in first.stderr
    assert first.stderr.count("error: ") == 1
    session = first.stderr.split("--resume ")[1].split()[0]
    second = interview(tmp_path, ["5-9", *ANSWERS[8:]], "--resume", session, real=False)
    assert second.returncode == 2 and expected["5-9"] in second.stderr
    assert questions(second.stdout)[0] == "? What age range are they? (e.g. 25-40) [18-65]"
    third = interview(tmp_path, ANSWERS[8:10] + ["Narnia", *ANSWERS[10:]], "--resume", session, real=False)
    assert third.returncode == 2 and expected["Narnia"] in third.stderr
    last = interview(tmp_path, ANSWERS[10:], "--resume", session, real=False)
    assert last.returncode == 0, last.stdout + last.stderr


def test_back_changes_the_previous_answer(tmp_path: Path) -> None:
    lines = ANSWERS[:1] + ["A wrong description", "back", "Roaster and café"] + ANSWERS[2:]
    result = interview(tmp_path, lines)
    assert result.returncode == 0, result.stdout
    plan = json.loads((Path(result.stdout.splitlines()[-1]) / "plan.json").read_text())
    assert plan["brief"]["business"]["description"] == "Roaster and café"


def test_confirm_edit_loop(tmp_path: Path) -> None:
    result = interview(tmp_path, ANSWERS[:-1] + ["budget is 2500", "drop tiktok", ""], real=False)
    assert result.returncode == 0, result.stdout
    brief = json.loads((Path(result.stdout.splitlines()[-1]) / "plan.json").read_text())["brief"]
    assert brief["resources"]["monthly_budget"] == 2500 and brief["exclude_platforms"] == ["tiktok"]
    assert result.stdout.count("? Approve this brief?") == 3
    garbled = interview(tmp_path / "garbled", ANSWERS[:-1] + ["what?", ""], real=False)
    assert garbled.returncode == 2 and "could not understand 'what?'" in garbled.stderr


def test_help_shows_help_and_asks_again(tmp_path: Path) -> None:
    result = interview(tmp_path, ["help"], real=False)
    assert result.returncode == 3
    assert "  The brand or company name, as customers know it." in result.stdout
    assert questions(result.stdout) == ["? What is the business called?"] * 2


@pytest.mark.parametrize(("cut", "real"), [(1, False), (7, False), (12, True), (17, False), (23, False)],
                         ids=["1", "7", "12-process", "17", "23"])
def test_end_of_input_pauses_and_resume_gives_the_same_plan(
    tmp_path: Path, cut: int, real: bool, whole: subprocess.CompletedProcess[str]
) -> None:
    first = interview(tmp_path / "cut", ANSWERS[:cut], real=real)
    assert first.returncode == 3
    session = session_of(first.stdout)
    second = interview(tmp_path / "cut", ANSWERS[cut:], "--resume", session, real=real)
    assert second.returncode == 0, second.stdout + second.stderr
    assert questions(second.stdout)[0] == questions(whole.stdout)[cut]
    assert plan_of(Path(second.stdout.splitlines()[-1])) == plan_of(Path(whole.stdout.splitlines()[-1]))


@pytest.mark.parametrize(("cut", "real"), [(1, False), (5, False), (12, True), (20, False)],
                         ids=["1", "5", "12-process", "20"])
def test_sigkill_mid_interview_then_resume(
    tmp_path: Path, cut: int, real: bool, whole: subprocess.CompletedProcess[str]
) -> None:
    """The interview is always a real process, killed; `real` says whether listing and resuming are too."""
    expected = questions(whole.stdout)
    process = subprocess.Popen(
        [sys.executable, "-m", "agent.cli", "interview", "--offline", "--out", str(tmp_path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=dict(os.environ), bufsize=1)
    assert process.stdin and process.stdout
    for answer in ANSWERS[:cut]:
        assert process.stdout.readline().startswith("? ")
        process.stdin.write(answer + "\n")
        process.stdin.flush()
    assert process.stdout.readline() == expected[cut] + "\n"  # the previous answers are checkpointed
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    listing = sessions(tmp_path, real=real)
    assert f"{cut} of ~" in listing.stdout
    session = next(line.split("│")[1].strip() for line in listing.stdout.splitlines() if f"{cut} of ~" in line)
    resumed = interview(tmp_path, ANSWERS[cut:], "--resume", session, real=real)
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert questions(resumed.stdout) == expected[cut:]
    assert plan_of(Path(resumed.stdout.splitlines()[-1])) == plan_of(Path(whole.stdout.splitlines()[-1]))


def test_brief_prefill_asks_only_what_is_missing(tmp_path: Path) -> None:
    partial = tmp_path / "partial.yaml"
    partial.write_text("business: {name: Loop Coffee, description: Roaster, industry: Food, model: b2c}\n"
                       "audience: {description: Home baristas, timezone: Mars/Base}\n")
    result = interview(tmp_path, ["London"], "--brief", str(partial), real=False)
    asked = questions(result.stdout)
    assert asked[0] == "? What stage is the business at? (1 idea, 2 early, 3 growth, 4 established) [early]"
    assert "! audience.timezone: 'Mars/Base' is not an IANA time zone" in result.stdout
    assert not any("business called" in q for q in asked)


def test_unknown_session_is_bad_input(tmp_path: Path) -> None:
    result = interview(tmp_path, [], "--resume", "nope")
    assert result.returncode == 2 and result.stderr.startswith("error: no paused session 'nope'")


def test_interview_with_analytics_labels_own_slots(tmp_path: Path) -> None:
    export = Path(__file__).parent / "data" / "analytics" / "generic-posts.csv"
    result = interview(tmp_path, ANSWERS, "--analytics", str(export))
    assert result.returncode == 0, result.stdout + result.stderr
    plan = json.loads((Path(result.stdout.splitlines()[-1]) / "plan.json").read_text())
    assert plan["analytics"]["files"][0]["format"] == "generic"
