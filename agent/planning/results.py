"""Result KPIs: visits from social, the results of each conversion goal, and paid efficiency.

Where each result is counted follows how the business sells: online with UTM-tagged links; in person for a
local business's sales (a code or a question at the till); by message or call for a business with no website,
whose social traffic is taps on the profile's message, call and directions buttons rather than sessions.
"""

from __future__ import annotations

from collections.abc import Mapping

from agent.model.brief import Brief, Goal
from agent.model.plan import Budget, Kpi
from agent.planning.cadence import Cadence
from agent.planning.reach import Own, organic_impressions, paid_totals
from agent.planning.tables import Tables
from agent.planning.units import read_unit

MIN_SESSIONS = 10  # below this a monthly sessions target is noise
WEB = "Web analytics (e.g. GA4) on UTM-tagged links: utm_source=<platform>, utm_medium=social or paid_social"
CONVERT = {
    Goal.leads: ("Leads from social", "leads", "CRM or form tool, with the UTM source stored on each lead"),
    Goal.sales: ("Purchases from social", "purchases", "Shop or checkout analytics with UTM attribution"),
    Goal.app_installs: ("App installs from social", "installs", "App store consoles and the ad platforms' SDK"),
    Goal.recruiting: ("Job applications from social", "applications", "Applicant tracking system (source field)"),
    Goal.community: ("New community members", "members", "Group or community platform admin stats"),
}
AT_THE_TILL = ("In person: a social-only offer or code and 'how did you hear of us?' at the till or the booking, "
               "plus online orders and bookings with UTM")
"""Where a local business (most of whose sales and visits never touch a website) counts its results."""
IN_PERSON_FORMULA = "{unit} credited to social in the month (offer code, question at the till or booking, UTM online)"
BY_MESSAGE = ("The inbox and the phone: note 'found us on social' (and which channel) on every enquiry, booking "
              "or order that arrives by message, call or WhatsApp")
"""Where a business with no website counts its results: its customers book or order by message."""
BY_MESSAGE_FORMULA = "{unit} made by message, call or WhatsApp from social in the month (noted on each one)"
BOOKED = {Goal.leads, Goal.sales}
"""The results a business with no website takes by message: bookings, enquiries and orders."""
TAPS = "Profile insights: taps on the contact buttons, and new message threads"


def result_kpis(
    brief: Brief, tables: Tables, cadences: list[Cadence], budget: Budget, own: Own, results: Mapping[Goal, str],
    local: bool = False,
) -> list[Kpi]:
    """Visits (or profile taps) from social, a result KPI per conversion goal, and the paid line's efficiency."""
    _, later = organic_impressions(brief, tables, cadences, brief.goals.horizon_months, own)
    spend, paid_imps, paid_clicks, paid_results = paid_totals(budget)
    organic_clicks = later * tables.kpi.organic_link_ctr
    out = _visits(brief, tables, paid_clicks, organic_clicks, local)
    goals = [brief.goals.primary, *brief.goals.secondary]
    if Goal.community not in results:  # a secondary community with no group of its kind is counted in followers
        goals = [g for g in goals if g != Goal.community or g == brief.goals.primary]
    for goal in dict.fromkeys(g for g in goals if g in CONVERT):
        kpi = _result_kpi(brief, tables, goal, paid_results if goal == brief.goals.primary else 0.0, organic_clicks,
                          results, local and goal == Goal.sales)
        if kpi is not None:
            out.append(kpi)
    return out + _paid_efficiency(brief, spend, paid_imps, paid_clicks, paid_results)


def _visits(brief: Brief, tables: Tables, paid_clicks: float, organic_clicks: float, local: bool) -> list[Kpi]:
    """Website sessions from social; for a business with no website, taps on its profiles' contact buttons."""
    sessions = round(paid_clicks + organic_clicks)
    goals = [brief.goals.primary, *brief.goals.secondary]
    if not ((sessions >= MIN_SESSIONS and any(g in goals for g in (Goal.traffic, *CONVERT)))
            or brief.goals.primary == Goal.traffic):
        return []
    why = (f"paid clicks mid-point ({paid_clicks:,.0f}) + organic impressions x "
           f"{tables.kpi.organic_link_ctr:.1%} link CTR (assumption)")
    if brief.business.website:
        kpi = Kpi(name="Website sessions from social per month", stage="consideration",
                  formula="sessions with utm_medium=social or paid_social", platform=None, baseline=None,
                  target=float(max(1, sessions)), unit="sessions", data_source=WEB, cadence="weekly", rationale=why,
                  citations=["utm-tagging-discipline", "paid-media-formulas", tables.kpi.source])
    else:
        name, buttons = ("message, call or find you", "message, call and directions") if local else \
            ("message or call you", "message and call")
        kpi = Kpi(name=f"Profile taps to {name} per month", stage="consideration",
                  formula=f"taps on the profiles' {buttons} buttons, plus new message threads",
                  platform=None, baseline=None, target=float(max(1, sessions)), unit="taps", data_source=TAPS,
                  cadence="weekly", rationale=f"{why}; with no website, the click is a tap on the profile",
                  citations=["paid-media-formulas", tables.kpi.source])
    return [kpi.model_copy(update={"goal": Goal.traffic})] if brief.goals.primary == Goal.traffic else [kpi]


def _counted(brief: Brief, goal: Goal, unit: str, source: str, in_person: bool) -> tuple[str, str]:
    """(formula, data source) of a result KPI: in person (a local business's sales), by message (a booking or an
    order with no website to take it) or online with UTM."""
    if in_person:
        return IN_PERSON_FORMULA.format(unit=unit), AT_THE_TILL
    if not brief.business.website and goal in BOOKED:
        return BY_MESSAGE_FORMULA.format(unit=unit), BY_MESSAGE
    if goal == Goal.community:
        return f"new {unit} who joined from social in the month", source
    return f"{unit} attributed to social (UTM) in the month", source


def _result_kpi(
    brief: Brief, tables: Tables, goal: Goal, paid_part: float, organic_clicks: float, results: Mapping[Goal, str],
    in_person: bool = False,
) -> Kpi | None:
    """Results of a conversion goal per month; the primary goal always gets one, in whole numbers; `in_person`:
    counted where the customer pays or books, not only online."""
    name, unit, source = CONVERT[goal]
    step = 1.0
    if goal in results:
        unit = results[goal]
        name = f"{unit[:1].upper()}{unit[1:]} from social"
        named = read_unit(unit, tables)
        step = named.per_result if named is not None and named.goal == goal else 1.0
    organic_part = organic_clicks * tables.kpi.site_conversion.get(goal, 0.0)
    forecast = (paid_part + organic_part) * step
    if round(forecast) < 1 and goal != brief.goals.primary:
        return None
    visits = "organic visits x {:.0%} site" if brief.business.website else "organic profile taps x {:.0%}"
    why = (f"paid forecast mid-point ({paid_part:,.0f}) + "
           f"{visits.format(tables.kpi.site_conversion.get(goal, 0.0))} conversion (assumption)")
    if step != 1:
        why += f", x {step:g} {unit} per {goal.value.replace('_', ' ')} result (assumption)"
    if round(forecast) < 1:
        why += ("; under one a month is forecast at this scale, so the first target is the first one: count every "
                "one (ask each new customer how they found you, or use a code or a form field) to set a baseline")
    formula, counted = _counted(brief, goal, unit, source, in_person)
    return Kpi(
        name=f"{name} per month", stage="conversion", formula=formula,
        platform=None, baseline=None, target=float(max(1, round(forecast))), unit=unit,
        data_source=counted,
        cadence="weekly", rationale=why, goal=goal,
        citations=["kpi-funnel-mapping", "paid-media-formulas", tables.kpi.source],
    )


def _paid_efficiency(brief: Brief, spend: float, imps: float, clicks: float, results: float) -> list[Kpi]:
    if spend <= 0 or imps <= 0:
        return []
    out = [Kpi(
        name="Paid click-through rate", stage="consideration", formula="clicks / impressions x 100",
        platform=None, baseline=None, target=round(clicks / imps * 100, 2), unit="%",
        data_source="Ads Manager / Campaign Manager", cadence="weekly",
        rationale="forecast clicks / forecast impressions (mid-points)", citations=["paid-media-formulas"],
    )]
    if results > 0:
        per, name, formula = 1.0, "Cost per result (paid)", "spend / results"
        if brief.goals.primary == Goal.awareness:
            per, name, formula = 1000.0, "Cost per 1,000 people reached (paid)", "spend / people reached x 1,000"
        out.append(Kpi(
            name=name, stage="conversion", formula=formula,
            platform=None, baseline=None, target=round(spend / results * per, 2), unit=brief.resources.currency,
            data_source="Ads Manager / Campaign Manager", cadence="weekly",
            rationale="monthly paid spend / forecast results (mid-point); a ceiling to manage against",
            citations=["paid-media-formulas"],
        ))
    return out
