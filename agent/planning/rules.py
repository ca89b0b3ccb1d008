"""Rules engine: which platform, legal and ethical rules bind a plan, and targeting that respects them.

A rule (knowledge/data/rules.yaml) applies when every condition it names matches: the category, the
primary goal, the markets' countries, regions or consent regime, the audience's age (under 18 or
16), the platforms recommended, whether the business has a website (pixel consent binds only a site).
What a rule forbids is never proposed: each paid line's targeting drops the forbidden dimensions (ages,
genders, interests, lookalikes, ZIP areas) and says which rule removed them; a platform a rule bans is not
recommended. The targeting area is a radius around the business for local categories (from the brief, else a
stated default the client should confirm), the regions the brief names, or the market countries.
"""

from __future__ import annotations

import re

from agent.model.brief import PLATFORM_NAMES, Brief, Platform
from agent.model.market import Area, Targeting
from agent.planning.moments import mentions
from agent.planning.tables import CategoryRow, Market, Rule, Tables

RADIUS = re.compile(r"(?i:within|up to|around)?\s*(\d+(?:\.\d+)?)\s*((?i:miles?|mi|km|kilomet(?:re|er)s?))\s+"
                    r"(?i:of|around|from)\s+(?:(?i:the)\s+)?([^,.;]+(?:,\s*[A-Z][\w'-]*(?: [A-Z][\w'-]*)*)?)")
REGION = re.compile(r"\bin ((?:[A-Z][a-z]+\s?){1,3})(?:and (?:neighbou?ring|surrounding|nearby) (states|regions|"
                    r"counties|provinces))?")
KM_PER_MILE = 1.609
DEFAULT_RADIUS_KM = 10.0
"""Radius assumed for a local business whose brief names none (a short drive or bus ride)."""
ADULT = 18
SPECIAL_MIN_KM = 24.0
"""Meta's special ad categories draw location targets at least 15 miles (about 24 km) wide."""


def _under(brief: Brief, age: int) -> bool:
    return brief.audience.age_min < age


def _matches(rule: Rule, brief: Brief, markets: list[Market], category: str, platforms: set[str]) -> bool:
    checks = {
        "categories": lambda values: category in values,
        "goals": lambda values: brief.goals.primary.value in values,
        "countries": lambda values: any(m.country in values for m in markets),
        "regions": lambda values: any(m.region in values for m in markets),
        "consent": lambda values: any(m.consent in values for m in markets),
        "audience": lambda values: any(_under(brief, 18 if v == "under_18" else 16) for v in values),
        "platforms": lambda values: bool(platforms & set(values)),
        "website": lambda values: ("yes" if brief.business.website else "no") in values,
    }
    return all(checks[key](values) for key, values in rule.applies_to.items() if key in checks)


def applicable_rules(brief: Brief, tables: Tables, markets: list[Market], category: str,
                     platforms: set[str] | None = None) -> list[Rule]:
    """The rules that bind this plan (`platforms`: those in play; all eight when not given)."""
    live = platforms if platforms is not None else {p.value for p in Platform}
    return [rule for rule in tables.rules
            if _matches(rule, brief, markets, category, live) and mentions(rule.words, brief)]


def banned_platforms(rules: list[Rule]) -> dict[str, Rule]:
    """Platforms a rule takes out entirely, with the rule."""
    return {p: rule for rule in rules if "platform" in rule.forbids for p in rule.applies_to.get("platforms", [])}


def _radius(text: str) -> tuple[float, str] | None:
    match = RADIUS.search(text)
    if match is None:
        return None
    value, unit, place = float(match.group(1)), match.group(2).lower(), match.group(3).strip()
    return (value * KM_PER_MILE if unit.startswith("mi") else value), place


def target_area(brief: Brief, row: CategoryRow | None, markets: list[Market]) -> Area:
    """Where ads run: a radius for local businesses, named regions, or the market countries."""
    countries = [m.country for m in markets]
    texts = [t for t in (brief.audience.area, brief.audience.description) if t]
    for text in texts:
        found = _radius(text)
        if found:
            km, place = found
            return Area(kind="radius", text=f"{km:.0f} km ({km / KM_PER_MILE:.0f} miles) around {place}",
                        center=place, radius_km=round(km, 1), countries=countries)
    for text in texts:
        match = REGION.search(text)
        if match and match.group(1).strip() not in {m.name for m in markets}:
            regions = [match.group(1).strip()] + ([f"neighbouring {match.group(2)}"] if match.group(2) else [])
            return Area(kind="regions", text=" and ".join(regions), regions=regions, countries=countries)
    if row is not None and row.local:
        place = brief.audience.area or brief.business.name
        return Area(kind="radius", text=f"{DEFAULT_RADIUS_KM:.0f} km around {place} (assumed: confirm the radius)",
                    center=place, radius_km=DEFAULT_RADIUS_KM, countries=countries, assumed=True)
    names = ", ".join(m.name for m in markets) or ", ".join(brief.business.locations) or "the audience's country"
    return Area(kind="countries", text=names, countries=countries)


def _on(rule: Rule, platform: Platform) -> bool:
    return platform.value in rule.applies_to.get("platforms", [p.value for p in Platform])


def _adults_only(brief: Brief) -> bool:
    """An audience spanning minors and adults: ads go to the adults, minors are reached organically."""
    return brief.audience.age_min < ADULT <= brief.audience.age_max


def targeting_for(brief: Brief, area: Area, rules: list[Rule], platform: Platform) -> Targeting:
    """Targeting for a paid line on `platform`: the brief's audience minus what a rule forbids. When the
    audience spans minors and adults, ads target the adults only (the minors' rules would strip every
    ad of its targeting) and the minors are left to organic posts."""
    split = _adults_only(brief)
    binding = [r for r in rules if _on(r, platform) and r.forbids and not (split and "audience" in r.applies_to)]
    forbidden = {f: r for r in binding for f in r.forbids}
    not_used = [f"{what.replace('_', ' ')}: {forbidden[what].name}" for what in
                ("age_targeting", "gender_targeting", "interest_targeting", "lookalikes", "custom_audiences",
                 "zip_targeting", "profiling_ads") if what in forbidden]
    gender = brief.audience.gender
    if "zip_targeting" in forbidden and area.kind == "radius" and (area.radius_km or 0) < SPECIAL_MIN_KM:
        area = area.model_copy(update={"radius_km": SPECIAL_MIN_KM, "text": f"{area.text}, widened to 24 km "
                                       f"(15 miles) as {forbidden['zip_targeting'].name} requires"})
    special = next((r.name for r in binding if r.id.startswith("meta-special")), None)
    profiling = "profiling_ads" in forbidden
    if split:
        not_used.append(f"under-{ADULT}s: reached by organic posts, not ads (ads to minors may target only age "
                        "and location, and not by profiling in the EU)")
    low = ADULT if split else brief.audience.age_min
    return Targeting(
        area=area,
        ages=None if "age_targeting" in forbidden else f"{low}–{brief.audience.age_max}",
        genders=None if gender == "any" or "gender_targeting" in forbidden or profiling else
        gender.replace("_", " "),
        interests=[] if "interest_targeting" in forbidden or profiling else list(brief.audience.interests),
        not_used=not_used,
        special_ad_category=special if platform.value in ("facebook", "instagram") else None,
    )


def rule_note(rule: Rule) -> str:
    """The rule as the plan says it, with what it requires."""
    needs = "; ".join(rule.requires)
    return rule.says + (f" The plan: {needs}." if needs else "")


def platform_label(platform: str) -> str:
    """A platform's name in documents."""
    return PLATFORM_NAMES.get(platform, platform)


def signed_off(tables: Tables, rules: list[Rule]) -> Tables:
    """The tables with each post's hours raised by the sign-off the binding rules require (a UK financial
    promotion is reviewed before it goes out): the largest one, as one review covers them all."""
    extra = max((r.sign_off_hours for r in rules), default=0.0)
    if not extra:
        return tables
    hours = {fmt: round(h + extra, 2) for fmt, h in tables.effort.hours_per_post.items()}
    return tables.model_copy(update={"effort": tables.effort.model_copy(update={"hours_per_post": hours})})
