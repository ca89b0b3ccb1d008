"""write_ideas: month one's post ideas from the LLM in one structured call, checked against the plan.

Runs in the same parallel round as the section calls (`fan_out` sends it a `SectionTask` for "post_ideas").
The call is given the business, audience, goal, pillars and month one's slots with their offline topics as
reference drafts, and asks for one hook and call to action per slot. The reply is checked
(agent.llm.check_ideas); a fault or a failed check leaves the offline topics and reports the step as
degraded. Its report joins the sections' so that `review` counts its call, tokens and warnings.
"""

from __future__ import annotations

from langgraph.runtime import Runtime

from agent.graph.state import RunContext, SectionReport, SectionTask, context_of
from agent.knowledge.bundle import load_bundle
from agent.llm.check_ideas import buyer_model, check_ideas, month_one, other_buyer_phrases
from agent.llm.factory import get_llm
from agent.llm.prompts import ideas_messages
from agent.llm.schemas import PostIdeas

IDEAS_ID = "post_ideas"
"""The report id of the post-ideas step (and the task's section id)."""


def write_ideas(task: SectionTask, runtime: Runtime[RunContext]) -> dict[str, object]:
    """Month one's posts with checked LLM ideas, or none and a warning (the offline topics stay). Always sets
    `ideas`, so a thread that plans again never keeps an earlier run's."""
    from agent.llm.structured import call_structured  # loads openai: only when an LLM runs

    settings = context_of(runtime).settings
    draft = task["draft"]
    posts = month_one(draft)
    llm = get_llm(settings)
    if llm is None or not posts:
        return {"ideas": [], "reports": [SectionReport(section_id=IDEAS_ID, source="offline")]}
    tables = load_bundle(settings.knowledge_dir).tables
    outcome = call_structured(llm, ideas_messages(draft, posts, buyer_model(draft, tables)), PostIdeas)
    usage = outcome.usage.model_dump()
    if outcome.value is None:
        reason = str(outcome.fault)
    else:
        checked = check_ideas(outcome.value, posts, [p.name for p in draft.pillars], task["allowed"],
                              other_buyer_phrases(draft, tables))
        if checked.posts:
            return {"ideas": checked.posts, "reports": [SectionReport(section_id=IDEAS_ID, source="llm", **usage)]}
        reason = checked.reason
    warning = f"post ideas: {reason}; offline ideas used"
    return {"ideas": [], "reports": [SectionReport(section_id=IDEAS_ID, source="offline", degraded=True,
                                                   warnings=[warning], **usage)]}
