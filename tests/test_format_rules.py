"""Format rotations under short hours: core formats stay, a primary keeps its lead, clips are cut cheaply."""

from __future__ import annotations

import datetime as dt

import pytest

from agent.knowledge.bundle import Bundle
from agent.model.brief import Brief, Format, Platform
from agent.planning.assemble import plan_core
from agent.planning.channels import score_channels
from agent.planning.frequency import fit_frequency
from agent.planning.rotation import adapted_formats, format_shares, post_hours
from tests.briefs import archetype, benchmark_pace, brief_from
from tests.eval.checks import case_files

TODAY = dt.date(2026, 11, 18)


def eval_brief(name: str, hours: float | None = None) -> Brief:
    """An archetype brief from the eval set, optionally with other team hours."""
    return archetype(name) if hours is None else archetype(name, resources={"team_hours_per_week": hours})


def test_a_primary_youtube_channel_keeps_its_long_videos_and_cuts_shorts_from_them(bundle: Bundle) -> None:
    # A watercolour teacher with 8,000 subscribers and 10 hours: leaning to cheaper formats used to leave
    # YouTube posting one live stream a week, without the tutorials that are the funnel.
    brief, tables = eval_brief("online-course-creator"), benchmark_pace(bundle.tables)
    core, effort = plan_core(brief, tables, TODAY), tables.effort
    assert core.schedule[0].platform == Platform.youtube and core.schedule[0].formats[0] == Format.long_video
    channels = score_channels(brief, tables)
    cadence = fit_frequency(brief, tables, channels, effort.ads_hours_per_account)[0][0]
    assert Format.short_video in cadence.adapted
    shares = format_shares(tables, cadence.formats)  # a live stream takes a capped share of the posts
    expected = sum(share * effort.hours_per_post[f] * (effort.adapt_share if f in cadence.adapted else 1)
                   for f, share in shares.items())
    assert cadence.hours_per_post == pytest.approx(expected, abs=0.01)
    assert expected < sum(share * effort.hours_per_post[f] for f, share in shares.items())
    assert [s.platform for s in core.schedule][:2] == [Platform.youtube, Platform.instagram]


def test_a_lead_format_the_team_cannot_afford_even_alone_is_not_protected(bundle: Bundle) -> None:
    # With 8 hours and an ad account, one long video every other week does not fit even on YouTube alone;
    # protecting it would cost LinkedIn and still end in Shorts, so the plan leans as before.
    core = plan_core(eval_brief("uk-course-global"), bundle.tables, TODAY)
    platforms = [s.platform for s in core.schedule]
    assert platforms[0] == Platform.youtube and Platform.linkedin in platforms
    assert Format.long_video not in core.schedule[0].formats
    more = plan_core(eval_brief("uk-course-global", hours=12), bundle.tables, TODAY)
    assert more.schedule[0].formats[0] == Format.long_video


CORE = {Platform.tiktok: {Format.short_video}, Platform.youtube: {Format.long_video, Format.short_video}}


@pytest.mark.parametrize("hours", [4, 6, 8, 10, 15])
def test_no_rotation_leans_off_the_formats_its_platform_is_built_around(bundle: Bundle, hours: int) -> None:
    # Leaning once left TikTok posting only photo carousels or live streams and YouTube only live streams.
    seen = 0
    for path in case_files():
        brief = eval_brief(path.stem, hours)
        if not {Format.short_video, Format.long_video} & set(brief.resources.formats):
            continue
        cadences, _, _ = fit_frequency(brief, bundle.tables, score_channels(brief, bundle.tables))
        for cadence in cadences:
            if cadence.platform in CORE:
                seen += 1
                assert CORE[cadence.platform] & set(cadence.formats), (path.stem, cadence.platform, cadence.formats)
    assert seen


@pytest.mark.parametrize("hours", [6, 10, 15, 30])
def test_live_streams_run_on_the_primary_channel_only_and_are_never_adapted(bundle: Bundle, hours: int) -> None:
    # A live stream cannot be cut from another channel's asset; rotating lives into supporting pages once made
    # them the cheapest "adapted" post (Instagram posting one live a week and nothing else).
    lives = 0
    for path in case_files():
        brief = eval_brief(path.stem, hours)
        cadences, _, _ = fit_frequency(brief, bundle.tables, score_channels(brief, bundle.tables))
        lives += sum(Format.live in c.formats for c in cadences)
        for cadence in cadences:
            assert Format.live not in cadence.adapted, (path.stem, cadence.platform)
            assert cadence.role == "primary" or Format.live not in cadence.formats, (path.stem, cadence.platform)
    assert lives  # some primaries do go live


def test_a_tiktok_account_below_the_live_threshold_plans_no_live_streams(bundle: Bundle) -> None:
    brief = eval_brief("kpop-merch-teens")
    need = next(p for p in bundle.tables.profiles if p.platform == Platform.tiktok).live_min_followers
    small = brief.model_copy(update={"presence": [a.model_copy(update={"followers": need - 1}) if
                                                   a.platform == Platform.tiktok else a for a in brief.presence],
                                     "exclude_platforms": [Platform.instagram, Platform.youtube]})
    large = brief.model_copy(update={"exclude_platforms": small.exclude_platforms})
    for case, allowed in ((small, False), (large, True)):
        cadences, _, _ = fit_frequency(case, bundle.tables, score_channels(case, bundle.tables))
        tiktok = next(c for c in cadences if c.platform == Platform.tiktok)
        assert tiktok.role == "primary" and (Format.live in tiktok.formats) == allowed, tiktok.formats


def test_a_live_stream_is_never_adapted_even_when_made_above(bundle: Bundle) -> None:
    made = frozenset({Format.live, Format.images})
    assert adapted_formats(bundle.tables, [Format.live, Format.images], made, primary=False) == [Format.images]


def test_shorts_cut_from_a_channels_own_long_videos_borrow_nothing_from_the_primary(bundle: Bundle) -> None:
    # LinkedIn leads with text, images and carousels; a YouTube page cuts its shorts from its own long videos, so
    # it is not a page that follows LinkedIn's assets (no cap at LinkedIn's posts, no "adapted from LinkedIn").
    brief = brief_from("acme-analytics", resources={"team_hours_per_week": 20, "formats": [
        "text", "images", "carousels", "long_video", "short_video"]}, presence=[])
    cadences, _, _ = fit_frequency(brief, bundle.tables, score_channels(brief, bundle.tables))
    youtube = next(c for c in cadences if c.platform == Platform.youtube)
    assert cadences[0].platform == Platform.linkedin and youtube.role != "primary"
    assert youtube.adapted == [Format.short_video] and youtube.borrowed == []


def test_a_squeezed_lone_primary_claims_no_cuts_from_videos_it_no_longer_makes(bundle: Bundle) -> None:
    brief = eval_brief("online-course-creator", hours=4)  # 4 hours with an ad account: one post of its cheapest format
    tables = benchmark_pace(bundle.tables)
    channels = score_channels(brief, tables)
    youtube, = fit_frequency(brief, tables, channels, tables.effort.ads_hours_per_account)[0]
    assert Format.long_video not in youtube.formats
    assert (youtube.adapted, youtube.borrowed, youtube.pieces) == ([], [], 1)


def test_after_a_channel_is_dropped_the_rest_post_their_full_rotation_again(bundle: Bundle) -> None:
    # Wet Paper Studio at 10 hours: Facebook is left out, and Instagram then affords Reels and images again
    # instead of the leanest rotation the three-channel attempt had reached.
    core = plan_core(eval_brief("online-course-creator"), bundle.tables, TODAY)
    instagram = next(s for s in core.schedule if s.platform == Platform.instagram)
    assert Platform.facebook not in {s.platform for s in core.schedule}
    assert instagram.formats == [Format.short_video, Format.images]


def test_a_live_stream_takes_at_most_its_capped_share_of_a_channels_posts(bundle: Bundle) -> None:
    """The K-pop shop's TikTok went live every other post (52 lives in six months); a live needs a host and a
    time announced ahead, so it takes at most effort.yaml's max_share of the channel's posts, and the hours
    per post are the mean at those shares."""
    tables = bundle.tables
    cap = tables.effort.max_share[Format.live]
    shares = format_shares(tables, [Format.short_video, Format.live, Format.carousels])
    assert shares[Format.live] == cap and shares[Format.short_video] == shares[Format.carousels] == (1 - cap) / 2
    assert format_shares(tables, [Format.images, Format.carousels]) == {Format.images: 0.5, Format.carousels: 0.5}
    hours = tables.effort.hours_per_post
    assert post_hours(tables, [Format.short_video, Format.live], []) == round(
        (1 - cap) * hours[Format.short_video] + cap * hours[Format.live], 2)
    core = plan_core(eval_brief("kpop-merch-teens"), tables, TODAY)
    tiktok = [p for p in core.calendar if p.platform == Platform.tiktok]
    lives = [p for p in tiktok if p.format == Format.live]
    assert lives and len(lives) <= cap * len(tiktok) + 1
