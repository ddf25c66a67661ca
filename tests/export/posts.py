"""Posts built in memory through the domain's own moves, for the workbook and feed tests."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from bot.domain import Content, DeliveryState, Person, Post, State, new_post

NURSE = Person("slack", "U1NURSE", "Nora Nurse")
OFFICER = Person("slack", "U2OFFICER", "Olga Officer")


def make_post(
    post_id: int,
    at: datetime,
    text: str = "Flu shots are in! Walk-ins welcome Mon-Fri.",
    channels: Sequence[str] = ("x-main", "facebook-clinic"),
    state: State = State.IN_REVIEW,
    *,
    overrides: Mapping[str, str] | None = None,
    problems: Sequence[str] = (),
    urls: Mapping[str, str] | None = None,
    proposer: Person = NURSE,
) -> Post:
    """A post moved into `state` the way the workflow would (approve, publish, reject…)."""
    content = Content(
        text=text, channels=tuple(channels), scheduled_at=at, overrides=overrides or {}
    )
    created = at - timedelta(days=3)
    post = new_post(content, proposer, created, problems=problems)
    post.id = post_id
    decided = created + timedelta(hours=2)
    if state in (State.APPROVED, State.PUBLISHING, State.PUBLISHED, State.FAILED):
        post.approve(OFFICER, decided, None, required=1)
    if state in (State.PUBLISHING, State.PUBLISHED, State.FAILED):
        for channel in channels:
            post.start_publishing(channel, OFFICER, at)
    if state is State.PUBLISHED:
        for channel in channels:
            url = (urls or {}).get(channel, f"https://social.example/{channel}/{post_id}")
            post.finish_delivery(channel, DeliveryState.PUBLISHED, at, url=url, external_id="1")
    if state is State.FAILED:
        for channel in channels:
            post.finish_delivery(channel, DeliveryState.FAILED, at, error="refused")
    if state is State.REJECTED:
        post.reject(OFFICER, decided, None, "Not this month")
    if state is State.WITHDRAWN:
        post.withdraw(proposer, decided)
    if state is State.CHANGES_REQUESTED:
        post.request_changes(OFFICER, decided, None, "Add the clinic hours")
    assert post.state is state
    return post
