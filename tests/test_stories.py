"""Stories beside the feed posts, and how a plan leans when hours run short (channel by channel)."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from agent.knowledge.bundle import Bundle
from agent.model.brief import Format, Platform
from agent.planning.assemble import plan_core
from agent.planning.channels import score_channels
from agent.planning.frequency import fit_frequency
from tests.briefs import benchmark_pace
from tests.eval.checks import case_files, load_case
from tests.test_format_rules import eval_brief

TODAY = dt.date(2026, 11, 18)
STORY_BRIEFS = [p.stem for p in case_files() if Format.stories in load_case(p).brief.resources.formats]


@pytest.mark.parametrize("hours", [4, 6, 8, 12, 20])
def test_stories_are_never_a_feed_post_and_come_in_a_habit_or_not_at_all(bundle: Bundle, hours: float) -> None:
    guide = {f.platform: f.stories for f in bundle.tables.frequency}
    assert set(guide.values()) - {0}
    for name in STORY_BRIEFS:
        core = plan_core(eval_brief(name, hours), bundle.tables, TODAY)
        for item in core.schedule:
            assert Format.stories not in item.formats, (name, hours, item.platform)
            assert item.stories_per_week <= guide[item.platform], (name, hours, item.platform)
            # at least half the smaller guide (Facebook's 3) when shared: never a lone Story
            assert item.stories_per_week == 0 or item.stories_per_week >= math.ceil(min(set(guide.values()) - {0}) / 2)
        stories = [i.stories_per_week for i in core.schedule if i.stories_per_week]
        assert len(stories) < 2 or stories[1] <= stories[0], (name, hours)  # shared: never more than the source
        assert sum(i.hours_per_week for i in core.schedule) <= hours + 1e-6


def test_a_team_that_makes_no_stories_gets_none(bundle: Bundle) -> None:
    brief = eval_brief("boutique-hotel", 30)
    none = brief.model_copy(update={"resources": brief.resources.model_copy(
        update={"formats": [f for f in brief.resources.formats if f != Format.stories]})})
    assert any(i.stories_per_week for i in plan_core(brief, bundle.tables, TODAY).schedule)
    assert not any(i.stories_per_week for i in plan_core(none, bundle.tables, TODAY).schedule)


def test_stories_cost_hours_and_are_named_in_the_rationale(bundle: Bundle) -> None:
    core = plan_core(eval_brief("boutique-hotel", 30), bundle.tables, TODAY)
    effort = bundle.tables.effort
    first = core.schedule[0]
    assert first.platform == Platform.instagram and first.stories_per_week == 5
    assert f"{first.stories_per_week} Stories" in first.rationale
    shared = core.schedule[1]  # Facebook shares Instagram's Stories at the adaptation share
    assert 0 < shared.stories_per_week <= first.stories_per_week
    assert f"{round(effort.hours_per_post[Format.stories] * effort.adapt_share, 2):g} h" in shared.rationale


def test_a_supporting_channel_leans_before_the_primary_does(bundle: Bundle) -> None:
    # Glenmorie House, 8 hours with an ad account: Facebook re-posts images while Instagram keeps carousels.
    core = plan_core(eval_brief("boutique-hotel"), benchmark_pace(bundle.tables), TODAY)
    lead, support = core.schedule[0], core.schedule[1]
    assert lead.platform == Platform.instagram and Format.carousels in lead.formats
    assert support.formats == [Format.images]


def test_a_lone_channel_posts_cheaper_formats_before_it_posts_less(bundle: Bundle) -> None:
    # A plumber with 4 hours: two image posts a week, not one post rotating images and video.
    core = plan_core(eval_brief("plumber-unreachable-target"), bundle.tables, TODAY)
    assert [(i.platform, i.posts_per_week, i.formats) for i in core.schedule] == \
        [(Platform.facebook, 2, [Format.images])]


def test_a_team_that_only_makes_stories_is_not_planned_them_twice(bundle: Bundle) -> None:
    brief = eval_brief("bakery-neighbourhood", 10)
    only = brief.model_copy(update={"resources": brief.resources.model_copy(update={"formats": [Format.stories]})})
    for item in plan_core(only, bundle.tables, TODAY).schedule:
        assert item.formats == [Format.stories] and item.stories_per_week == 0


@pytest.mark.parametrize("name", ["bakery-neighbourhood", "nonprofit-food-bank", "portuguese-restaurant"])
def test_stories_never_push_a_plan_past_the_team_hours_by_rounding(bundle: Bundle, name: str) -> None:
    # Hours to the thousandth: a shared Story costs 0.105 h while a channel's hours round to the hundredth.
    for thousandths in range(11_940, 11_990):
        brief = eval_brief(name, thousandths / 1000)
        cadences, _, overhead = fit_frequency(brief, bundle.tables, score_channels(brief, bundle.tables))
        assert sum(c.hours for c in cadences) + overhead <= thousandths / 1000 + 1e-9, (name, thousandths)
