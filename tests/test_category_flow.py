"""The category through the flow: embedding similarity, the confirm step's line, plain-words edits, plan.json."""

from __future__ import annotations

import pytest

from agent.api import plan_brief
from agent.edits.paths import apply_edits
from agent.edits.words import parse_words
from agent.graph.state import RunContext
from agent.interview.summary import brief_summary
from agent.knowledge.bundle import Bundle
from agent.knowledge.similarity import category_similarities
from agent.model.brief import Brief, Category
from agent.model.plan_io import read_plan
from agent.model.settings import PROJECT_ROOT
from agent.model.values import AnswerError
from agent.nodes.confirm import category_line
from tests.conftest import example


def test_the_shipped_model_finds_the_closest_category_description(bundle: Bundle) -> None:
    text = "Neighbourhood bakery selling sourdough bread and pastries"
    scores = category_similarities(text, bundle.tables.categories)
    assert set(scores) == set(Category)
    assert max(scores, key=scores.__getitem__) == Category.local_food_drink
    assert category_similarities("   ", bundle.tables.categories) == {}


def test_confirm_step_says_the_detected_category_and_how_to_change_it() -> None:
    brief = example("rosas-taqueria")
    kind, where = category_line(brief, PROJECT_ROOT / "knowledge").splitlines()
    assert kind.startswith("Kind of business: Local food and drink, as we read it") and "category is" in kind
    assert where.startswith("Ads shown in: 10 km around") and "area is" in where
    assert {kind, where} <= set(brief_summary(brief, f"{kind}\n{where}").splitlines())
    given = Brief.model_validate({**brief.model_dump(mode="json"),
                                  "business": {**brief.business.model_dump(mode="json"), "category": "local_services"},
                                  "audience": {**brief.audience.model_dump(mode="json"),
                                               "area": "within 3 miles of Hyde Park, Chicago"}})
    assert category_line(given, PROJECT_ROOT / "knowledge").splitlines() == [
        "Kind of business: Local services", "Ads shown in: 5 km (3 miles) around Hyde Park, Chicago"]


@pytest.mark.parametrize(("words", "category"), [
    ("category is b2b saas", "b2b_saas"), ("kind of business: local food and drink", "local_food_drink"),
    ("category is e-commerce home decor", "ecommerce_home_decor"),
])
def test_plain_words_set_the_category(words: str, category: str) -> None:
    edited = apply_edits(example("rosas-taqueria"), parse_words(words))
    assert edited.business.category == Category(category)


def test_an_unknown_category_lists_the_choices() -> None:
    with pytest.raises(AnswerError, match="which category"):
        parse_words("category is spaceships")


def test_plan_json_records_the_category_with_its_source(context: RunContext) -> None:
    folder = plan_brief(example("rosas-taqueria"), context)
    plan = read_plan(folder)
    assert plan.category is not None and plan.category.source == "detected"
    assert plan.category.value == Category.local_food_drink and 0 < plan.category.confidence < 1
    text = (folder / "strategy.md").read_text(encoding="utf-8")
    assert "(Local food and drink)" in text.split("\n## Contents", 1)[0]


def test_plain_words_set_the_ad_area() -> None:
    edited = apply_edits(example("rosas-taqueria"), parse_words("area is within 5 miles of Pilsen, Chicago"))
    assert edited.audience.area == "within 5 miles of pilsen, chicago"
