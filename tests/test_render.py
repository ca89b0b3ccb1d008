"""Rendering: every template renders, tables match the figures, user text cannot become markup."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import icalendar
import pytest

from agent.model.plan import Strategy
from agent.render.document import document_context, escape_text, render_html, render_markdown, sanitize_html
from agent.render.files import calendar_csv, calendar_ics, plan_json, render_files
from agent.render.scheduler import CSV_HEADER
from agent.render.templating import (
    TEMPLATES_DIR,
    format_name,
    money,
    percent,
    platform_name,
    render,
    template_names,
)
from agent.writing import SECTION_IDS
from agent.writing.offline import Citer, build_facts, offline_sections

FIXTURE = Path(__file__).parent / "fixtures" / "strategy.json"
PAYLOAD = '<script>alert(1)</script><img src=x onerror=alert(1)>[x](javascript:alert(1))"><b onclick=y>'


def load_strategy() -> Strategy:
    strategy = Strategy.model_validate_json(FIXTURE.read_text(encoding="utf-8"))
    return strategy.model_copy(update={"sections": offline_sections(strategy, {})})


def context_for(name: str, strategy: Strategy) -> dict[str, object]:
    if name.startswith("sections/"):
        allowed = {p.id for p in strategy.practices}
        return {
            "strategy": strategy, "brief": strategy.brief, "f": build_facts(strategy, []), "entries": [],
            "cite": Citer([], [], allowed),
        }  # fmt: skip
    if name == "strategy.html.j2":
        return {"title": "T", "css": "body {}", "body": "<p>x</p>", "client": "C", "brand": None, "logo": None,
                "colour": None}
    if name == "references.md.j2":
        return {"refs": [{"number": 1, "title": "T", "publisher": "P", "year": 2024, "url": "https://x.example",
                          "uncertain": True}]}
    if name == "changes.md.j2":
        from agent.replan.diff import diff_plans

        budget = strategy.budget.model_copy(update={"monthly_total": strategy.budget.monthly_total + 1})
        newer = strategy.model_copy(update={"version": strategy.version + 1, "budget": budget})
        return {"strategy": newer.model_copy(update={"changes": diff_plans(strategy, newer)})}
    return document_context(strategy)


def table(markdown_text: str, header_start: str) -> list[list[str]]:
    """The data rows of the Markdown table whose header starts with `header_start`, split into cells."""
    lines = markdown_text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header_start))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]])
    return rows


def test_every_template_renders_with_the_fixture() -> None:
    strategy = load_strategy()
    names = template_names(include_prompts=False)
    expected = {"strategy.md.j2", "strategy.html.j2", "page/plan.md.j2", "references.md.j2"} | {
        f"sections/{i}.md.j2" for i in SECTION_IDS
    }
    assert expected <= set(names)
    assert set(names) <= set(template_names())
    for name in names:
        text = render(name, **context_for(name, strategy))
        assert isinstance(text, str)
        if not name.startswith("sections/_"):
            assert text.strip(), name


def test_document_sections_in_order() -> None:
    text = render_markdown(load_strategy())
    headings = [line[3:] for line in text.splitlines() if line.startswith("## ")]
    assert headings == ["Contents", "Plan on a page", "Appendix", "References"]
    parts = [line[4:] for line in text.split("## Appendix", 1)[1].splitlines() if line.startswith("### ")]
    assert parts == [
        "A. Why these channels", "B. Audience", "C. Goals, KPIs and measurement",
        "D. Organic (SMO): profiles, content, engagement, website", "E. Paid (SMM): campaigns, targeting, testing",
        "G. Posting schedule", "H. Content calendar", "I. Competitors", "J. Style guide", "K. How this plan was made",
    ]  # fmt: skip  (the fixture has no market section, so F is absent)
    assert text.startswith("# Social media strategy: Ledgerline\n")
    for section in load_strategy().sections:
        if section.id != "summary":  # the summary is the page's recommendation, on one line
            first = section.text.strip().splitlines()[0]
            assert first.split("[")[0].strip() in text


def test_tables_match_the_figures() -> None:
    strategy = load_strategy()
    text = render_markdown(strategy)
    appendix = text.split("## Appendix", 1)[1]
    kpis = table(appendix, "| KPI |")
    assert len(kpis) == len(strategy.kpis)
    benchmark = next(k for k in strategy.kpis if k.baseline_source == "benchmark")
    assert "(benchmark)" in next(row[3] for row in kpis if row[0] == benchmark.name)
    assert len(table(text, "| Platform | Role |")) == len(strategy.channels)
    chosen = [c for c in strategy.channels if c.role != "not_recommended"]
    assert [row[0] for row in table(text, "| Channel | Role |")] == [platform_name(c.platform) for c in chosen]
    page_budget = table(text, "| Line | Kind | Monthly |")
    assert len(page_budget) <= 6 and page_budget[-1][2] == "**$6,000**"
    budget = table(text, "| Item | Platform | Kind |")
    assert len(budget) == len(strategy.budget.lines) + 1  # plus the total row
    assert budget[-1][-1] == "**$6,000**"
    paid = [line for line in strategy.budget.lines if line.forecast]
    forecast = table(text, "| Line | Impressions |")
    assert len(forecast) == len(paid)
    assert forecast[0][1] == "55,000–110,000" and forecast[0][6] == "$90–$180"
    schedule = table(text, "| Platform | Posts/week |")
    assert len(schedule) == len(strategy.schedule) + 1
    assert schedule[0][4] == "Tue 09:00, Wed 10:00, Thu 09:00, Thu 12:00"
    assert len(table(text, "| Date | Time |")) == len(strategy.calendar)
    references = re.findall(r'^\d+\. <a id="ref-\d+"></a>', text, flags=re.MULTILINE)
    assert 0 < len(references) <= len(strategy.practices)


def test_pipes_in_user_text_stay_inside_their_cell() -> None:
    data = load_strategy().model_dump()
    data["calendar"][0]["topic"] = "Ours | theirs | both"
    data["kpis"][0]["name"] = "Demos | trials"
    text = render_markdown(Strategy.model_validate(data))
    appendix = text.split("## Appendix", 1)[1]
    for part, header, width in ((text, "| Date | Time |", 6), (appendix, "| KPI |", 7), (text, "| KPI |", 4)):
        assert {len(row) for row in table(part, header)} == {width}
    assert r"Ours \| theirs \| both" in text


def poisoned() -> Strategy:
    data = load_strategy().model_dump()
    business, audience = data["brief"]["business"], data["brief"]["audience"]
    for key in ("name", "description", "industry", "website"):
        business[key] = f"{key} {PAYLOAD}"
    business["locations"] = [PAYLOAD, f"Canada {PAYLOAD}"]
    audience["description"] = f"Buyers {PAYLOAD}"
    audience["interests"] = [PAYLOAD, f"ERP {PAYLOAD}"]
    data["brief"]["goals"]["target"] = f"120 demos {PAYLOAD}"
    data["brief"]["competitors"] = [PAYLOAD, f"Tipalti {PAYLOAD}"]
    data["calendar"][0]["topic"] = PAYLOAD
    data["calendar"][0]["pillar"] = PAYLOAD
    data["kpis"][0]["name"] = PAYLOAD
    strategy = Strategy.model_validate(data)
    sections = offline_sections(strategy, {})
    sections[0].text += f"\n\nLLM prose {PAYLOAD}\n"
    return strategy.model_copy(update={"sections": sections})


class TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def assert_inert(page: str) -> None:
    collector = TagCollector()
    collector.feed(page)
    tags = {tag for tag, _ in collector.tags}
    assert not tags & {"script", "img", "iframe", "object", "svg"}
    assert "b" not in tags  # the payload's own <b onclick=...> did not survive either
    for tag, attrs in collector.tags:
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        for key in ("href", "src", "action", "formaction"):
            value = (attrs.get(key) or "").replace(" ", "").lower()
            assert not value.startswith(("javascript:", "data:", "vbscript:")), (tag, attrs)
    lowered = page.lower()
    assert "<script" not in lowered and "<img" not in lowered


def test_brief_markup_never_survives_in_html() -> None:
    strategy = poisoned()
    markdown_text = render_markdown(strategy)
    assert "<script" not in markdown_text and "<img" not in markdown_text
    assert "[x]\\(javascript:alert(1))" in markdown_text  # no link from brief data at all
    page = render_html(strategy, markdown_text)
    assert_inert(page)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # shown as text, not run
    assert "<title>Social media strategy: name &lt;script&gt;" in page


def test_escape_text_keeps_text_and_drops_markup() -> None:
    assert escape_text("R&D <b>bold</b> &amp; [a](b)") == "R&D &lt;b&gt;bold&lt;/b&gt; &amp;amp; [a]\\(b)"


def test_sanitiser_strips_raw_markup() -> None:
    dirty = (
        '<p onclick="x()">a</p><script>bad()</script><a href="javascript:alert(1)">j</a>'
        '<a href=" JaVa&#x53;cript:alert(1)">k</a><a href="https://ok.example/?a=1&amp;b=2" title="t">ok</a>'
        '<iframe src="x"></iframe><img src=x onerror=y><svg><circle onload="z"/></svg>'
        '<td style="background:url(javascript:x)">c</td><td style="text-align: right;">d</td>'
    )
    clean = sanitize_html(dirty)
    assert_inert(clean)
    assert "bad()" not in clean
    assert '<a href="https://ok.example/?a=1&amp;b=2" title="t">ok</a>' in clean
    assert "<a>j</a>" in clean and "<a>k</a>" in clean
    assert '<td style="text-align: right;">d</td>' in clean and "<td>c</td>" in clean


def test_html_page_is_standalone_and_printable() -> None:
    strategy = load_strategy()
    page = render_html(strategy, render_markdown(strategy))
    assert page.startswith("<!DOCTYPE html>")
    assert "@media print" in page and "<style>" in page and "<link" not in page
    assert "Content-Security-Policy" in page
    assert page.count("<table>") == render_markdown(strategy).count("\n|---")
    assert '<h2 id="contents">' in page and 'href="#plan-on-a-page"' in page


def test_csv_has_the_contract_header_and_one_row_per_post() -> None:
    strategy = load_strategy()
    text = calendar_csv(strategy)
    rows = list(csv.reader(io.StringIO(text)))
    assert text.startswith("\ufeffdate,time,timezone,platform,format,pillar,topic,caption_draft,note\r\n")
    rows[0][0] = rows[0][0].removeprefix("\ufeff")
    assert tuple(rows[0]) == CSV_HEADER
    assert len(rows) - 1 == len(strategy.calendar)
    first = strategy.calendar[0]
    assert rows[1] == [
        first.date.isoformat(), first.time, first.timezone, platform_name(first.platform), format_name(first.format),
        first.pillar, first.topic, first.caption, first.note,
    ]  # fmt: skip


def test_csv_defuses_spreadsheet_formulas() -> None:
    data = load_strategy().model_dump()
    data["calendar"][0]["topic"] = '=HYPERLINK("http://x")'
    rows = list(csv.reader(io.StringIO(calendar_csv(Strategy.model_validate(data)))))
    assert rows[1][6].startswith("'=")


def test_ics_parses_back_with_zoned_half_hour_events() -> None:
    strategy = load_strategy()
    cal = icalendar.Calendar.from_ical(calendar_ics(strategy))
    events = cal.events
    assert len(events) == len(strategy.calendar)
    assert cal["PRODID"] and str(cal["VERSION"]) == "2.0"
    zones = [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")]
    assert zones == [strategy.brief.audience.timezone]
    uids = {str(e["UID"]) for e in events}
    assert len(uids) == len(events)
    for event, post in zip(events, strategy.calendar, strict=True):
        start, end = event.start, event.end
        assert isinstance(start, dt.datetime) and isinstance(end, dt.datetime)
        assert str(start.tzinfo) == strategy.brief.audience.timezone
        dtstart: Any = event["DTSTART"]
        assert dtstart.params["TZID"] == strategy.brief.audience.timezone
        assert (start.date(), start.strftime("%H:%M")) == (post.date, post.time)
        assert end - start == dt.timedelta(minutes=30)
        assert post.topic in str(event["SUMMARY"]) and post.pillar in str(event["DESCRIPTION"])


def test_ics_is_stable_across_runs() -> None:
    strategy = load_strategy()
    assert calendar_ics(strategy) == calendar_ics(strategy)


def test_plan_json_round_trips() -> None:
    strategy = load_strategy()
    text = plan_json(strategy)
    assert Strategy.model_validate_json(text) == strategy
    assert list(json.loads(text))[:3] == ["version", "created_at", "client"]
    assert text == plan_json(strategy)


def test_render_files_gives_the_documents_calendars_and_charts() -> None:
    strategy = load_strategy()
    files = render_files(strategy, documents=frozenset())
    charts = sorted(name for name in files if name.startswith("chart-"))
    sprout = sorted(f"sprout-{p}.csv" for p in {post.platform.value for post in strategy.calendar})
    core = ["calendar.csv", "calendar.ics", "plan.json", "strategy.html", "strategy.md"]
    assert sorted(files) == sorted(core + charts + sprout)
    assert len(charts) >= 3 and all(isinstance(v, bytes) and v for v in files.values())


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [(1200, "USD", "$1,200"), (1200.5, "EUR", "€1,200.50"), (99, "GBP", "£99"), (1200, "CHF", "1,200 CHF")],
)
def test_money(amount: float, currency: str, expected: str) -> None:
    assert money(amount, currency) == expected


def test_small_filters() -> None:
    assert percent(0.355) == "36%" and percent(0.355, 1) == "35.5%"
    assert render("sections/_macros.md.j2").strip() == ""
    assert (TEMPLATES_DIR / "strategy.css").is_file()


def bare_strategy() -> Strategy:
    """Everything optional left empty: nothing recommended, no money, no calendar, no knowledge."""
    data = load_strategy().model_dump()
    business = data["brief"]["business"]
    business.update(website=None, locations=[], model="b2c", stage="idea")
    data["brief"]["audience"]["interests"] = []
    data["brief"]["goals"].update(target=None, secondary=[])
    data["brief"]["resources"]["monthly_budget"] = 0
    data["brief"].update(presence=[], competitors=[])
    for channel in data["channels"]:
        channel.update(role="not_recommended", citations=[])
    data["budget"] = {
        "monthly_total": 0, "currency": "EUR", "organic_share": 1, "paid_share": 0, "lines": [],
        "rationale": "No budget", "citations": [],
    }  # fmt: skip
    data.update(schedule=[], kpis=[], calendar=[], pillars=[], pillar_rule="", practices=[], sections=[])
    strategy = Strategy.model_validate(data)
    return strategy.model_copy(update={"sections": offline_sections(strategy, {})})


def test_a_bare_strategy_still_renders_every_file() -> None:
    strategy = bare_strategy()
    assert all(not s.citations for s in strategy.sections)
    files = render_files(strategy)
    text = files["strategy.md"].decode()
    assert "| Line | Impressions |" not in text and "| Date | Time |" not in text
    assert len(list(csv.reader(io.StringIO(files["calendar.csv"].decode())))) == 1
    assert icalendar.Calendar.from_ical(files["calendar.ics"]).events == []
