"""Finding a post by its approval thread, so replies there become review comments."""

from __future__ import annotations

from bot.commands import ProposeRequest


def test_a_post_is_found_by_the_thread_it_was_announced_in(workflow, nurse, notifier):
    post = workflow.propose(
        ProposeRequest(channels=("x-main",), when="tomorrow 9am", text="Flu shots"), by=nurse
    )

    found = workflow.by_thread("console", "approvals", f"thread-{post.id}")

    assert found is not None and found.id == post.id


def test_a_thread_that_is_no_post_finds_nothing(workflow, nurse, notifier):
    workflow.propose(
        ProposeRequest(channels=("x-main",), when="tomorrow 9am", text="Flu shots"), by=nurse
    )

    assert workflow.by_thread("console", "approvals", "thread-999") is None
    assert workflow.by_thread("slack", "approvals", "thread-1") is None
