"""Write the small anonymised sample exports in this folder (run from the repository root).

    .venv/bin/python tests/data/analytics/make_samples.py

The samples are synthetic: invented posts and numbers laid out with the exporters' real headers,
encodings and cell formats (shared/research/export-formats.md). The legacy .xls needs xlwt, which
is not a project dependency: `pip install xlwt` first to rewrite it (the other files do not).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from tests.test_analytics_exports import (  # noqa: E402
    LINKEDIN_POSTS,
    linkedin_rows,
    synthetic_posts,
    write_generic,
    write_linkedin_xlsx,
    write_meta_facebook,
    write_meta_instagram,
    write_x_content,
    write_x_legacy,
)

HERE = Path(__file__).parent
X_CONTENT_JA = ("ポストID", "日付", "ポスト本文", "インプレッション数", "いいね", "返信", "リポスト", "ブックマーク")


def write_x_content_ja(path: Path) -> None:
    """The Japanese header names seen in a user's export; ISO dates (the Japanese date form is unknown)."""
    from tests.test_analytics_exports import snowflake

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(X_CONTENT_JA)
    for i, p in enumerate(synthetic_posts(weeks=2)[:6]):
        writer.writerow([snowflake(p.at, i), p.at.strftime("%Y-%m-%d"), f"ポスト {i}", p.impressions, p.reactions,
                         p.comments, p.shares, 1])
    path.write_text(buffer.getvalue(), encoding="utf-8-sig")


def write_meta_follows(path: Path) -> None:
    """A Meta page-level daily series (UTF-16 with BOM, `sep=,` and a title line): not a post export."""
    lines = ["sep=,", '"Facebook follows"', '"Date","Primary"', '"2026-08-01T00:00:00","20"', ""]
    path.write_bytes("\r\n".join(lines).encode("utf-16"))


def write_linkedin_xls(path: Path) -> None:
    """The legacy .xls LinkedIn content workbook (dates as text, as older English exports show them)."""
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("All posts")
    sheet.write(0, 0, "All posts: individual post metrics.")
    for col, name in enumerate(LINKEDIN_POSTS):
        sheet.write(1, col, name)
    for r, row in enumerate(linkedin_rows(synthetic_posts(weeks=2)[:6], sponsored=False), start=2):
        for col, value in enumerate(row):
            sheet.write(r, col, value.strftime("%m/%d/%Y") if isinstance(value, dt.datetime) else value)
    book.save(str(path))


def main() -> None:
    posts = synthetic_posts(weeks=2)[:6]
    write_meta_facebook(HERE / "meta-facebook-posts.csv", posts)
    write_meta_instagram(HERE / "meta-instagram-posts.csv", posts)
    write_linkedin_xlsx(HERE / "linkedin-content.xlsx", posts)
    write_x_legacy(HERE / "x-tweet-activity.csv", posts)
    write_x_content(HERE / "x-account-analytics-content.csv", posts)
    write_generic(HERE / "generic-posts.csv", posts)
    write_x_content_ja(HERE / "x-account-analytics-content-ja.csv")
    write_meta_follows(HERE / "meta-page-follows-utf16.csv")
    write_linkedin_xls(HERE / "linkedin-content.xls")


if __name__ == "__main__":
    main()
