"""Offline writer: one section per id, in order, citing only known entries, built from the brief."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

import pytest

from agent.knowledge.entries import Entry
from agent.model.plan import Budget, Strategy
from agent.writing import SECTION_IDS, SECTIONS
from agent.writing.offline import checklist_lines, cited_ids, offline_sections

FIXTURE = Path(__file__).parent / "fixtures" / "strategy.json"
Kind = Literal["smo", "smm"]
CITE = re.compile(r"\[([a-z0-9][a-z0-9-]{2,80})\]")


def load_strategy() -> Strategy:
    return Strategy.model_validate_json(FIXTURE.read_text(encoding="utf-8"))


def entry(
    entry_id: str, body: str, tags: list[str], platforms: list[str] | None = None, kind: Kind = "smo"
) -> Entry:
    return Entry(
        id=entry_id,
        title=f"Title of {entry_id}",
        kind=kind,
        platforms=platforms or ["all"],
        source="Test source, 2024",
        year=2024,
        tags=tags,
        body=body,
    )


LINKEDIN_PROFILE = entry(
    "profile-optimisation-linkedin",
    "Company Page checklist:\n- **Logo.** Square, 300x300.\n- **Tagline.** Who you serve.\n"
    "- **Custom button.** Matched to the goal.\n\nPlanner use: week one.",
    ["profile", "setup"],
    ["linkedin"],
)
RESPONSE = entry(
    "response-time-expectations", "Reply within an hour; always within a day.", ["response-time"]
)
SHARE_OF_VOICE = entry(
    "competition-analysis-share-of-voice", "Share of voice = our mentions / all.", ["competitors"]
)
UTM = entry(
    "utm-tagging-discipline", "Tag every link with utm_source and utm_medium.", ["measurement", "utm"]
)
TARGETING = entry(
    "linkedin-audience-targeting",
    "Target by job title and seniority.",
    ["paid", "targeting"],
    ["linkedin"],
    "smm",
)
ALL_ENTRIES = [LINKEDIN_PROFILE, RESPONSE, SHARE_OF_VOICE, UTM, TARGETING]


def practices() -> dict[str, list[Entry]]:
    return {
        "organic": [LINKEDIN_PROFILE, RESPONSE],
        "competition": [SHARE_OF_VOICE],
        "paid": [TARGETING],
        "measurement": [UTM],
    }


def by_id(strategy: Strategy, given: dict[str, list[Entry]] | None = None) -> dict[str, str]:
    return {s.id: s.text for s in offline_sections(strategy, practices() if given is None else given)}


def test_one_section_per_id_in_document_order() -> None:
    sections = offline_sections(load_strategy(), practices())
    assert [s.id for s in sections] == list(SECTION_IDS)
    assert [(s.id, s.title) for s in sections] == list(SECTIONS)
    assert all(s.text.strip() for s in sections)


def test_citations_are_known_and_match_the_text() -> None:
    strategy = load_strategy()
    allowed = {p.id for p in strategy.practices} | {e.id for e in ALL_ENTRIES}
    for section in offline_sections(strategy, practices()):
        assert set(section.citations) <= allowed, section.id
        in_text = {m for m in CITE.findall(section.text) if m in allowed}
        assert set(section.citations) == in_text, section.id


def test_unknown_engine_citations_are_not_cited() -> None:
    strategy = load_strategy()
    strategy.channels[0].citations.append("no-such-entry-anywhere")
    for section in offline_sections(strategy, practices()):
        assert "no-such-entry-anywhere" not in section.citations
        assert "[no-such-entry-anywhere]" not in section.text


def test_client_and_competitors_appear_where_they_belong() -> None:
    strategy = load_strategy()
    texts = by_id(strategy)
    name = strategy.brief.business.name
    for section_id in ("summary", "audience", "competition", "style_guide"):
        assert name in texts[section_id], section_id
    for competitor in strategy.brief.competitors:
        assert competitor in texts["competition"]
    assert strategy.brief.business.website and strategy.brief.business.website in texts["organic"]
    for interest in strategy.brief.audience.interests:
        assert interest in texts["audience"]


def test_summary_is_one_paragraph_naming_every_chosen_channel() -> None:
    """The recommendation names the channels; its figures live in the page's tables, once."""
    strategy = load_strategy()
    text = by_id(strategy)["summary"]
    for platform in ("LinkedIn", "YouTube", "X"):
        assert platform in text
    assert len(text.strip().splitlines()) == 1 and "$6,000" not in text


def test_organic_takes_checklist_lines_from_profile_entries() -> None:
    strategy = load_strategy()
    section = next(s for s in offline_sections(strategy, practices()) if s.id == "organic")
    for line in checklist_lines(LINKEDIN_PROFILE.body):
        assert f"- {line}" in section.text
    assert "profile-optimisation-linkedin" in section.citations
    assert "response-time-expectations" in section.citations
    assert [h for h in section.text.splitlines() if h.startswith("### ")] == [
        "### Profile optimisation",
        "### Content optimisation",
        "### Engagement playbook",
        "### Website integration",
    ]
    assert "**YouTube**" in section.text  # a chosen platform without an entry still gets its checklist


def test_sections_fall_back_to_entries_given_for_other_sections() -> None:
    strategy = load_strategy()
    sections = offline_sections(strategy, {"organic": [UTM, SHARE_OF_VOICE]})
    cited = {s.id: s.citations for s in sections}
    assert UTM.id in cited["measurement"]
    assert SHARE_OF_VOICE.id in cited["competition"]


def test_paid_section_covers_every_paid_line() -> None:
    strategy = load_strategy()
    text = by_id(strategy)["paid"]
    paid = [line for line in strategy.budget.lines if line.kind == "paid"]
    assert paid
    for line in paid:
        assert line.item in text
    headings = [h for h in text.splitlines() if h.startswith("### ")]
    assert headings == [
        "### Campaign objectives",
        "### Audience targeting",
        "### Budget lines and forecasts",
        "### A/B testing",
        "### Campaign management cadence",
    ]
    assert TARGETING.id in cited_ids(text, {TARGETING.id})


def zero_budget(strategy: Strategy) -> Strategy:
    data = strategy.model_dump()
    data["brief"]["resources"]["monthly_budget"] = 0
    data["budget"] = Budget(
        monthly_total=0, currency="USD", organic_share=1, paid_share=0, lines=[],
        rationale="No budget: organic only", citations=[],
    ).model_dump()  # fmt: skip
    return Strategy.model_validate(data)


def test_zero_budget_is_all_organic() -> None:
    strategy = zero_budget(load_strategy())
    assert not [line for line in strategy.budget.lines if line.kind == "paid"]
    texts = by_id(strategy)
    paid = texts["paid"]
    assert not [h for h in paid.splitlines() if h.startswith("### ")]
    for item in ("Sponsored Content with Lead Gen Forms", "In-stream video views"):
        assert item not in paid
    assert "LinkedIn" in paid  # names the channel to start paid on
    assert "$" not in texts["summary"].split("Headline KPIs")[0]


def test_no_competitors_asks_for_three() -> None:
    data = load_strategy().model_dump()
    data["brief"]["competitors"] = []
    text = by_id(Strategy.model_validate(data))["competition"]
    numbered = [line[:3] for line in text.splitlines() if re.match(r"^\d\. ", line)]
    assert numbered == ["1. ", "2. ", "3. "]


@pytest.mark.parametrize("model", ["b2b", "b2c", "both"])
def test_every_business_model_writes(model: str) -> None:
    data = load_strategy().model_dump()
    data["brief"]["business"]["model"] = model
    sections = offline_sections(Strategy.model_validate(data), {})
    assert [s.id for s in sections] == list(SECTION_IDS)


def test_writing_is_deterministic() -> None:
    strategy = load_strategy()
    assert offline_sections(strategy, practices()) == offline_sections(strategy, practices())


