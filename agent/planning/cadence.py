"""A channel's weekly cadence: feed posts and their formats, Stories beside them, and the hours they take."""

from __future__ import annotations

from pydantic import BaseModel

from agent.model.brief import Format, Platform
from agent.planning.rotation import assets


class Cadence(BaseModel):
    """Posts per week and effort on one channel."""

    platform: Platform
    role: str
    posts_per_week: int
    minimum: int
    formats: list[Format]
    hours_per_post: float
    community_hours: float
    rationale: str
    citations: list[str]
    adapted: list[Format] = []
    borrowed: list[Format] = []
    """The adapted formats whose asset comes from a channel above (not cut from this channel's own videos)."""
    wanted: int = 0
    active: bool = False
    rhythm: int = 0
    """Posts a week the channel's established audience is used to (0 without one), within the guidance."""
    pieces: float = 1.0
    """Mean pieces a supporting channel can adapt from one post of the rotation (a long video feeds several)."""
    stories: int = 0
    """Stories a week beside the feed posts (not counted as posts), from hours the posts leave."""
    story_hours: float = 0.0
    stories_wanted: int = 0
    shares_stories: bool = False
    """Its Stories are shared from a channel above (Meta publishes one Story to both): never more than there."""

    @property
    def assets(self) -> int:
        """Pieces a week that supporting channels can adapt from this channel's posts."""
        return assets(self.posts_per_week, self.pieces)

    @property
    def hours(self) -> float:
        """Weekly hours this channel needs."""
        return round(self.posts_per_week * self.hours_per_post + self.stories * self.story_hours
                     + self.community_hours, 2)
