"""Helpers for the knowledge-base tests: a small knowledge folder written on the fly.

Seven entries with distinct topics, platforms, goals and kinds, so each search test has one right
answer. Imported by tests/test_kb_*.py (not a conftest: pytest does not load it by itself).
"""

from __future__ import annotations

from pathlib import Path

from agent.model.settings import Settings

ENTRIES: dict[str, str] = {
    "smo/linkedin-times.md": """---
id: linkedin-posting-times
title: Best times to post on LinkedIn for B2B companies
kind: smo
platforms: [linkedin]
goals: [leads, awareness]
source: Example research, "LinkedIn timing study", 2024
year: 2024
tags: [timing, schedule]
---
Business audiences read LinkedIn on weekday mornings. Tuesday to Thursday between 8 and 10 am
local time gets the most reactions; weekends are quiet. Post two to five times a week.
""",
    "smo/instagram-hashtags.md": """---
id: instagram-hashtags
title: How many hashtags to use on Instagram
kind: smo
platforms: [instagram]
goals: [engagement]
source: Example research, "Hashtag counts and reach", 2023
year: 2023
tags: [hashtags, discovery]
---
Three to five specific hashtags work better than thirty generic ones. Put them in the caption,
mix one broad tag with niche community tags, and never reuse the same block on every post.
""",
    "smm/tiktok-budget.md": """---
id: tiktok-ads-budget
title: Minimum daily budget for TikTok ads
kind: smm
platforms: [tiktok]
goals: [sales, app_installs]
source: Example ads help centre, "About budgets", 2025
year: 2025
tags: [budget, paid, minimums]
---
A TikTok ad group needs more than 20 dollars a day, and a campaign budget more than 50 dollars.
Below that the delivery algorithm cannot learn which viewers convert.
""",
    "smo/reply-times.md": """---
id: reply-time-expectations
title: How fast customers expect a reply to messages and comments
kind: smo
platforms: [all]
goals: [community]
source: Example customer survey, "Response expectations", 2022
year: 2022
tags: [customer service, inbox]
---
Most people who message a brand expect an answer within 24 hours, and many within four hours.
Slow or missing replies push customers to competitors; set up saved answers and an inbox rota.
""",
    "smm/brand-split.md": """---
id: brand-activation-split
title: Split paid money between brand building and sales activation
kind: smm
platforms: [all]
goals: [all]
stage: [growth, established]
source: Example effectiveness study, "Long and short", 2013
year: 2013
tags: [budget, brand]
---
Consumer brands did best with roughly sixty percent brand building and forty percent activation.
Activation brings quick spikes that fade; brand advertising builds memory that compounds.
""",
    "smo/youtube-thumbnails.md": """---
id: youtube-thumbnails
title: Thumbnails and titles that earn clicks on YouTube
kind: smo
platforms: [youtube]
goals: [awareness]
source: Example creator handbook, "Packaging videos", 2024
year: 2024
tags: [video, packaging]
---
A readable face, three words of large text and strong contrast make a thumbnail stand out in
the feed. The title should promise one clear outcome in under sixty characters.
""",
    "smo/pinterest-seo.md": """---
id: pinterest-keyword-pins
title: Keyword-rich pin descriptions bring search traffic from Pinterest
kind: smo
platforms: [pinterest]
goals: [traffic]
source: Example platform guide, "Pinterest search", 2023
year: 2023
tags: [seo, search]
---
Pinterest works like a visual search engine. Write descriptive pin titles and descriptions with
the words people search for, and link every pin to the matching page of the website.
""",
}

MALFORMED = """---
id: broken-entry
title: An entry with a platform nobody knows
kind: smo
platforms: [myspace]
source: Nowhere in particular, 2020
year: 2020
---
This entry names an unknown platform and must be skipped with its file and line.
"""
MALFORMED_LINE = 5
"""The line of `platforms:` in MALFORMED (the opening '---' is line 1)."""


def write_knowledge(root: Path, entries: dict[str, str] | None = None) -> Path:
    """Write the sample entries under `root` and return it."""
    for name, text in (entries or ENTRIES).items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def kb_settings(tmp_path: Path, **overrides: object) -> Settings:
    """Settings whose knowledge folder and index live under `tmp_path`."""
    values: dict[str, object] = {"knowledge_dir": tmp_path / "knowledge", "index_dir": tmp_path / "index"}
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]
