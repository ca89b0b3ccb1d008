"""One grammar for quantities: interview answers, confirm-step edits, 'what changed?' and brief files read
'£500 a month', '2 hours a day', 'six months' and 'next month' the same way."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from agent.edits.words import parse_words
from agent.interview.bank import bank
from agent.interview.brief_file import load_friendly_brief
from agent.interview.parse import parse_answer
from agent.model.quantities import hours_per_week, money_per_month, months_of, start_date_of
from agent.model.values import AnswerError
from tests.conftest import EXAMPLES

TODAY = dt.date(2026, 12, 2)  # a Wednesday


@pytest.mark.parametrize(("text", "expected"), [
    ("2000", (2000, None)), ("£500 a month", (500, "GBP")), ("$12k a year", (1000, "USD")),
    ("300 a week", (1300, None)), ("€2.5k per month", (2500, "EUR")), ("9000 a quarter", (3000, None)),
    ("none", (0, None)), ("4000 eur", (4000, "EUR")), ("3k usd a month", (3000, "USD")),
    ("4000 a month, in CHF", (4000, "CHF")), ("500 TRY a month", (500, "TRY")),
    ("budget is now 4000", (4000, None)), ("5k all in", (5000, None)), ("the new one is 800", (800, None)),
])  # fmt: skip
def test_money_is_per_month_whatever_the_period(text: str, expected: tuple[float, str | None]) -> None:
    assert money_per_month(text) == expected


@pytest.mark.parametrize(("text", "expected"), [("20", 20), ("20 hours a week", 20), ("2 hours a day", 10),
                                                ("40 hours a month", 9.2)])
def test_team_hours_are_per_week(text: str, expected: float) -> None:
    assert hours_per_week(text) == expected


@pytest.mark.parametrize(("text", "expected"), [("6", 6), ("six months", 6), ("a quarter", 3), ("1 year", 12),
                                                ("two years", 24), ("18 months", 18)])
def test_plan_lengths_in_months(text: str, expected: int) -> None:
    assert months_of(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("next month", dt.date(2027, 1, 1)), ("next week", dt.date(2026, 12, 7)), ("2027-03-01", dt.date(2027, 3, 1)),
    ("1 March 2027", dt.date(2027, 3, 1)), ("March 2027", dt.date(2027, 3, 1)),
])  # fmt: skip
def test_start_dates_relative_to_today(text: str, expected: dt.date) -> None:
    assert start_date_of(text, TODAY) == expected


def test_nonsense_is_refused_with_what_to_write() -> None:
    for parse, text in ((months_of, "soon"), (lambda t: start_date_of(t, TODAY), "someday")):
        with pytest.raises(AnswerError, match="expected"):
            parse(text)


def test_a_month_in_a_budget_edit_is_never_the_plan_length() -> None:
    """'budget is 2000 a month' at 'what changed?' and 'budget is 20 a month' at confirm set the budget only."""
    for text, amount in (("budget is 2000 a month", 2000), ("budget is 20 a month", 20)):
        assert [(e.path, e.value) for e in parse_words(text)] == [("resources.monthly_budget", amount)]
    assert [(e.path, e.value) for e in parse_words("horizon is six months")] == [("goals.horizon_months", 6)]
    assert [e.path for e in parse_words("start is 2027-03-01")] == ["start_date"]


@pytest.mark.parametrize(("question", "answer", "expected"), [
    ("model", "consumers", {"business.model": "b2c"}),
    ("gender", "mostly women", {"audience.gender": "mostly_female"}),
    ("goal", "more bookings", {"goals.primary": "leads"}),
    ("formats", "photos, reels", {"resources.formats": ["images", "short_video"]}),
    ("presence", "facebook ~600", {"presence": [{"platform": "facebook", "followers": 600}]}),
    ("horizon", "six months", {"goals.horizon_months": 6}),
    ("budget", "£500 a month", {"resources.monthly_budget": 500, "resources.currency": "GBP"}),
    ("hours", "2 hours a day", {"resources.team_hours_per_week": 10}),
])  # fmt: skip
def test_natural_interview_answers(question: str, answer: str, expected: dict[str, object]) -> None:
    questions = {q.id: q for q in bank()}
    assert parse_answer(questions[question], answer) == expected


def test_brief_files_accept_the_interviews_friendly_forms(tmp_path: Path) -> None:
    data = yaml.safe_load((EXAMPLES / "rosas-taqueria.yaml").read_text())
    data["resources"].pop("currency")
    data["resources"].update({"monthly_budget": "£2.5k a month", "team_hours_per_week": "1 hour a day"})
    data["goals"]["horizon_months"] = "six months"
    data["audience"]["timezone"] = "London"
    path = tmp_path / "brief.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    brief = load_friendly_brief(path)
    assert (brief.resources.monthly_budget, brief.resources.currency) == (2500, "GBP")
    assert brief.resources.team_hours_per_week == 5 and brief.goals.horizon_months == 6
    assert brief.audience.timezone == "Europe/London"


def test_an_edit_that_could_mean_two_fields_asks_which() -> None:
    with pytest.raises(AnswerError, match="could change more than one thing: say which"):
        parse_words("20 a week")
