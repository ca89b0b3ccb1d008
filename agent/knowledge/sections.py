"""Which practices each document section draws on: a search query and the entries to fall back on.

`{platforms}` in a query or an id pattern expands to each recommended platform.
"""

from __future__ import annotations

SECTION_TITLES: dict[str, str] = {
    "summary": "Summary",
    "goals_kpis": "Goals and KPIs",
    "audience": "Audience",
    "channels": "Channel plan",
    "organic": "Organic (SMO) plan",
    "paid": "Paid (SMM) plan",
    "schedule": "Posting schedule and frequency",
    "calendar": "Content calendar",
    "competition": "Competition analysis",
    "style_guide": "Style guide",
    "measurement": "Measurement and reporting",
}

SECTION_PRACTICES: dict[str, tuple[str, tuple[str, ...]]] = {
    "summary": ("social media strategy goals metrics channel choice", ("social-strategy-goal-setting",)),
    "goals_kpis": ("KPI funnel engagement rate formula targets",
                   ("kpi-funnel-mapping", "engagement-rate-definitions", "kaushik-social-metrics")),
    "audience": ("platform use by age gender audience demographics",
                 ("pew-adult-platform-use", "linkedin-b2b-audience")),
    "channels": ("which platforms to choose focus fewer channels", ("focus-over-spread", "platform-guide-{p}")),
    "organic": ("profile optimisation content captions hashtags alt text engagement replies website share "
                "buttons open graph social login",
                ("profile-optimisation-{p}", "content-optimisation-captions-hooks", "hashtags-by-platform",
                 "alt-text-accessibility", "response-time-expectations", "community-management-ugc",
                 "open-graph-x-cards", "share-buttons-follow-widgets", "social-sign-in", "link-in-bio")),
    "paid": ("ad campaign objectives audience targeting lookalike retargeting A/B testing frequency cap budget",
             ("campaign-objectives-meta", "campaign-objectives-linkedin", "meta-audience-targeting",
              "linkedin-audience-targeting", "retargeting-custom-audiences", "lookalike-audiences",
              "ab-testing-practice", "frequency-caps-ad-fatigue", "campaign-management-cadence",
              "bidding-and-budget-pacing", "organic-first-small-budgets")),
    "schedule": ("best time to post how often to post", ("posting-frequency-guidance", "sprout-best-times-2023")),
    "calendar": ("content calendar content mix holidays seasonal",
                 ("content-calendar-practice", "content-mix-rules", "seasonal-and-holiday-planning")),
    "competition": ("competitor analysis share of voice tracking tools social listening",
                    ("competition-analysis-share-of-voice", "competitor-tracking-tools", "social-listening")),
    "style_guide": ("brand voice tone style guide", ("style-guide-voice-tone",)),
    "measurement": ("measurement reporting tools UTM conversion tracking dashboards",
                    ("measurement-and-reporting-tools", "utm-tagging-discipline", "reporting-cadence-dashboards",
                     "conversion-tracking-pixel-capi")),
}


def fallback_ids(section: str, platforms: list[str]) -> list[str]:
    """The section's fallback entry ids, with {p} expanded per platform."""
    out: list[str] = []
    for pattern in SECTION_PRACTICES[section][1]:
        out.extend(pattern.format(p=p) for p in platforms) if "{p}" in pattern else out.append(pattern)
    return list(dict.fromkeys(out))
