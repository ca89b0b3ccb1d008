"""Reading the exporters' quirks: time zones, mangled IDs, localised headers, number forms, the committed samples."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from agent.analytics import AnalyticsError, load_exports
from agent.analytics.values import linkedin_activity_time, parse_count, snowflake_time
from tests.test_analytics_exports import (
    DATA,
    LINKEDIN_POSTS,
    ZONE,
    activity_link,
    csv_text,
    export_file,
    synthetic_posts,
    write_linkedin_xlsx,
)


def test_meta_quirks(tmp_path: Path) -> None:
    own = load_exports([export_file(tmp_path, "meta_facebook")], ZONE)
    assert own.posts[1].post_id == ""  # Excel-mangled ID: digits gone, not guessed
    assert own.files[0].skipped == 0 and own.files[0].rows == len(synthetic_posts())
    assert own.files[0].engagement_columns == ("Reactions", "Comments", "Shares")
    assert own.files[0].denominator == "Views"
    assert "America/Los_Angeles" in own.warnings[0] and "Spring" in own.warnings[0]
    shifted = load_exports([export_file(tmp_path, "meta_facebook")], ZONE, export_zone="Europe/Berlin")
    assert not shifted.warnings
    gap = own.posts[0].published_at - shifted.posts[0].published_at  # type: ignore[operator]
    assert gap == dt.timedelta(hours=9)


def test_meta_day_first_dates_and_dutch_headers(tmp_path: Path) -> None:
    header = ["Publicatietijdstip", "Berichttype", "Titel", "Weergaven", "Bereik", "Vind-ik-leuks"]
    rows = [["25/10/2026 18:05", "Foto's", "Een", "1.250", "900", "31"], ["03/11/2026 09:00", "Foto's", "Twee", "800",
            "600", "12"]]  # fmt: skip
    path = tmp_path / "nl.csv"
    path.write_text(csv_text(header, rows), encoding="utf-8-sig")
    own = load_exports([path], ZONE)
    assert own.platforms() == ["facebook"]  # a Title column exists only in Facebook exports
    assert own.posts[0].published_on == dt.date(2026, 10, 25)
    assert own.posts[0].impressions == 1250 and own.posts[0].reactions == 31


def test_linkedin_in_another_language_is_read_by_position(tmp_path: Path) -> None:
    localised = tuple(f"Coluna {i + 1}" for i in range(len(LINKEDIN_POSTS)))
    own = load_exports([write_linkedin_xlsx(tmp_path / "pt.xlsx", synthetic_posts(), localised)], ZONE)
    assert own.files[0].format == "linkedin"
    assert len(own.posts) == len(synthetic_posts()) - 1


def test_ids_give_posting_times() -> None:
    at = dt.datetime(2021, 11, 30, 16, 0, tzinfo=dt.UTC)
    tweet = snowflake_time("1465712230054432768")  # a real tweet whose export row says 2021-11-30 16:00 +0000
    assert tweet is not None and tweet.replace(second=0, microsecond=0) == at
    assert linkedin_activity_time(activity_link(at, 5)) == at
    assert snowflake_time("12345") is None and linkedin_activity_time("https://example.com") is None


@pytest.mark.parametrize(("text", "value"), [
    ("1,250", 1250.0), ('"12,400"', 12400.0), ("2633.0", 2633.0), ("7.358351729212656E-4", 0.0007358351729212656),
    ("1.2K", 1200.0), ("-", None), ("", None), ("1.250", 1250.0), ("12,5", 12.5), ("1.234,5", 1234.5),
    ("1\u00a0250", 1250.0), (17, 17.0),
])  # fmt: skip
def test_counts(text: object, value: float | None) -> None:
    assert parse_count(text) == value


def test_committed_samples_are_read() -> None:
    expected = {
        "meta-facebook-posts.csv": ("meta", "facebook"), "meta-instagram-posts.csv": ("meta", "instagram"),
        "linkedin-content.xlsx": ("linkedin", "linkedin"), "linkedin-content.xls": ("linkedin", "linkedin"),
        "x-tweet-activity.csv": ("x_legacy", "x"), "x-account-analytics-content.csv": ("x_content", "x"),
        "x-account-analytics-content-ja.csv": ("x_content", "x"), "generic-posts.csv": ("generic", "linkedin"),
    }  # fmt: skip
    for name, (fmt, platform) in expected.items():
        own = load_exports([DATA / name], ZONE)
        assert (own.files[0].format, own.platforms()[0]) == (fmt, platform), name
        assert own.posts and all(p.published_at for p in own.posts), name


def test_meta_page_level_file_is_refused_with_a_reason() -> None:
    with pytest.raises(AnalyticsError, match="page-level daily series"):
        load_exports([DATA / "meta-page-follows-utf16.csv"], ZONE)


def test_excel_resaved_meta_csv(tmp_path: Path) -> None:
    """Windows-1252, semicolons and European thousands, as Excel writes a re-saved file on a European PC."""
    text = ("Post ID;Page ID;Title;Publish time;Views;Reach;Reactions, Comments and Shares\r\n"
            "1.22158E+17;61571;Caf\xe9 opening;10/24/2026 18:05;1.250;900;31\r\n\r\n")
    path = tmp_path / "resaved.csv"
    path.write_bytes(text.encode("cp1252"))
    own = load_exports([path], ZONE)
    post = own.posts[0]
    assert (post.impressions, post.reach, post.engagements, post.post_id) == (1250, 900, 31, "")
    assert own.files[0].engagement_columns == ("Reactions, Comments and Shares",)
