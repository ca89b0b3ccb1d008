"""The LLM layer: one model factory, structured calls with fallbacks, prompts, and the output guard.

- `factory.get_llm(settings)`: the configured model, or None when the run is offline; `llm_slot()` caps
  simultaneous calls per process.
- `structured.call_structured(llm, messages, Model)`: a validated pydantic reply or a plain-words fault.
- `prompts`, `figures`: the messages each step sends (jinja2 files in prompts/).
- `numbers`, `check`: no figure the plan lacks, no citation that was not given, the review applied.

Nodes use these and never build clients. This package knows nothing of the graph. Importing it is cheap:
the openai package loads only when a model is actually used (`structured`, `faults`, `new_llm`).
"""
