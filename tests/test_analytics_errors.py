"""Malformed or unsupported exports raise AnalyticsError ('<file>: <what>') with a message that says what to do."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from agent.analytics import AnalyticsError, load_exports
from tests.test_analytics_exports import ZONE, export_file, synthetic_posts


def error_for(path: Path, **kwargs: str) -> str:
    with pytest.raises(AnalyticsError) as caught:
        load_exports([path], ZONE, **kwargs)
    assert isinstance(caught.value, ValueError)
    assert str(caught.value) == f"{caught.value.path}: {caught.value.message}"
    return str(caught.value)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_unknown_header_names_the_expected_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "sales.csv", "order,amount,when\n1,20,2026-01-01\n")
    message = error_for(path)
    assert message.startswith(f"{path}: unknown export format (header: 'order', 'amount', 'when'); expected one of: ")
    for expected in ("Publish time", "Post link", "Tweet id", "timestamp, platform, impressions or reach"):
        assert expected in message


def test_bad_number_names_row_and_column(tmp_path: Path) -> None:
    text = "timestamp,platform,impressions,reactions\n2026-11-02T09:00:00-05:00,linkedin,lots,3\n"
    assert error_for(write(tmp_path, "g.csv", text)) == (
        f"{tmp_path / 'g.csv'}: row 2, column 'impressions': 'lots' is not a number")


def test_bad_date_names_row_column_and_form(tmp_path: Path) -> None:
    posts = synthetic_posts(weeks=1)
    path = export_file(tmp_path, "meta_facebook", posts)
    first = posts[0].at.astimezone(ZoneInfo("America/Los_Angeles")).strftime("%m/%d/%Y %H:%M")
    path.write_text(path.read_text(encoding="utf-8-sig").replace(first, "13/45/2025 99:00"), encoding="utf-8-sig")
    assert error_for(path).endswith(
        "column 'Publish time': '13/45/2025 99:00' is not a date in the form MM/DD/YYYY HH:MM")


def test_generic_timestamp_without_zone_is_refused(tmp_path: Path) -> None:
    text = "timestamp,platform,impressions,reactions\n2026-11-02 09:00,linkedin,100,3\n"
    assert error_for(write(tmp_path, "g.csv", text)).endswith(
        "row 2, column 'timestamp': '2026-11-02 09:00' has no UTC offset; add one (2026-03-02T09:15:00-05:00) "
        "or a timezone column (e.g. America/New_York)")


def test_generic_naive_timestamp_with_zone_column_is_read(tmp_path: Path) -> None:
    text = "timestamp,timezone,platform,impressions,reactions\n2026-11-02 09:00,Europe/Berlin,LinkedIn,100,3\n"
    own = load_exports([write(tmp_path, "g.csv", text)], ZONE)
    assert own.posts[0].published_at is not None and own.posts[0].published_at.hour == 8


def test_generic_unknown_platform(tmp_path: Path) -> None:
    text = "timestamp,platform,impressions,reactions\n2026-11-02T09:00:00Z,myspace,100,3\n"
    assert error_for(write(tmp_path, "g.csv", text)).endswith(
        "row 2, column 'platform': 'myspace' is not one of facebook, instagram, linkedin, x, tiktok, youtube, "
        "pinterest, threads")


@pytest.mark.parametrize(("content", "message"), [
    (b"", "the file is empty"),
    (b"  \n\n", "the file is empty"),
    (b"timestamp,platform,impressions,reactions\n\n", "no posts: the Generic post CSV has a header but no usable rows"),
    (b"PK\x03\x04not really a zip", "is a ZIP file but not a readable Excel workbook"),
    (b"\xd0\xcf\x11\xe0broken", "is not a readable .xls workbook"),
])  # fmt: skip
def test_broken_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(content)
    assert message in error_for(path)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    assert error_for(tmp_path / "nope.csv") == f"{tmp_path / 'nope.csv'}: no such file"
    assert error_for(tmp_path) == f"{tmp_path}: is a folder, not an export file"


def test_meta_export_that_names_no_platform(tmp_path: Path) -> None:
    text = "Publish time,Reach,Comments\n11/02/2026 09:00,100,3\n"
    assert "cannot tell whether this Meta export is Facebook or Instagram" in error_for(write(tmp_path, "m.csv", text))


def test_linkedin_followers_workbook_is_explained(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "New followers"
    book.active.append(["Date", "Sponsored followers", "Organic followers", "Auto-invited followers"])
    book.save(tmp_path / "followers.xlsx")
    assert "LinkedIn followers or visitors export has no posts" in error_for(tmp_path / "followers.xlsx")


def test_bad_export_zone(tmp_path: Path) -> None:
    path = export_file(tmp_path, "meta_facebook", synthetic_posts(weeks=1))
    message = error_for(path, export_zone="Mars/Base")
    assert message == "time zone: 'Mars/Base' is not an IANA time zone (e.g. Europe/Berlin)"
