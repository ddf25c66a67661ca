"""A proposal or an edit from a Teams dialog (the propose form, "Propose as post", the edit
form), answered without waiting on screening.

Teams gives an invoke five seconds. The form is checked at once (channels, time, text: no
screening), so a refusal still comes back on the form with what was typed. The work itself
(screening, saving, the approval card) runs on the bot's threads: when it is done within
`answer_within` the dialog says so as before; otherwise the dialog says the post is being
screened, and the confirmation (or the refusal) follows in the person's personal chat.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any, TypeVar

from adapters.teams import cards
from bot.commands import ProposeRequest
from bot.domain import Person, Post
from bot.errors import ClearpostError
from bot.workflow import Workflow

log = logging.getLogger(__name__)

ANSWER_WITHIN = 2.0  # seconds of the invoke's five spent waiting for a finished proposal
STILL_SCREENING = (
    "Your post is being screened before its approval thread opens. I will tell you in our "
    "chat when it is proposed, with its number and anything screening found."
)
EDIT_STILL_SCREENING = (
    "Your edit is being screened before the approval thread hears of it. I will tell you in "
    "our chat when the new revision is saved, with anything screening found."
)
T = TypeVar("T")

Core = Callable[..., Awaitable[Any]]
TellPerson = Callable[[str, dict[str, Any]], Awaitable[None]]


class DialogAnswers:
    """Proposals and edits from dialogs, and the ones still running (so shutdown and tests
    can wait)."""

    def __init__(
        self,
        workflow: Workflow,
        core: Core,
        confirm: Callable[[Post], str],
        tell_person: TellPerson | None = None,
        answer_within: float = ANSWER_WITHIN,
    ) -> None:
        self.workflow = workflow
        self.core = core
        self.confirm = confirm
        self.tell_person = tell_person
        self.answer_within = answer_within
        self.tasks: set[asyncio.Task[Any]] = set()

    async def propose(self, request: ProposeRequest, person: Person) -> str:
        """What the propose dialog answers."""
        return await self.answer(
            partial(self.workflow.build_content, request),
            partial(self.workflow.propose, request, person),
            self.confirm,
            person,
            STILL_SCREENING,
        )

    async def answer(
        self,
        check: Callable[[], object],
        work: Callable[[], T],
        confirm: Callable[[T], str],
        person: Person,
        still: str = EDIT_STILL_SCREENING,
    ) -> str:
        """`check` at once (a ClearpostError is raised, so the form comes back with it), then
        `work` on the bot's threads: its confirmation if done within `answer_within`, else
        `still`, and the confirmation follows in the person's chat."""
        await self.core(check)
        running = self._keep(self.core(work))
        done, _ = await asyncio.wait({running}, timeout=self.answer_within)
        if done:
            return confirm(running.result())
        self._keep(self._tell_later(running, confirm, person))
        return still

    def _keep(self, work: Awaitable[Any]) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(work)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task

    async def _tell_later(
        self, running: asyncio.Task[T], confirm: Callable[[T], str], person: Person
    ) -> None:
        try:
            said = confirm(await running)
        except ClearpostError as exc:
            said = f"{exc} Nothing was saved."
        except Exception:
            ref = uuid.uuid4().hex[:6]
            log.exception("teams dialog work failed (ref %s)", ref)
            said = f"Something went wrong on our side (ref {ref}); nothing was saved."
        if self.tell_person is None:
            log.warning("teams: no way to tell %s that their form's work finished", person.ref)
            return
        try:
            await self.tell_person(person.user_id, cards.attachment(cards.notice_card(said)))
        except Exception as exc:
            log.warning("teams: proposal confirmation not sent: %s", type(exc).__name__)

    async def settle(self) -> None:
        while self.tasks:
            await asyncio.gather(*list(self.tasks), return_exceptions=True)
