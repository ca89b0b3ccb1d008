"""Archetype evaluation: briefs with a strategist's expectations, their checks and the scoreboard (`make eval`)."""
