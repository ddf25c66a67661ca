"""A proposal from a Teams dialog (the propose form, "Propose as post"), answered without
waiting on screening.

Teams gives an invoke five seconds. The form is checked at once (channels, time, text: no
screening), so a refusal still comes back on the form with what was typed. The proposal itself
(screening, saving, the approval card) runs on the bot's threads: when it is done within
`answer_within` the dialog says so as before; otherwise the dialog says the post is being
screened, and the confirmation (or the refusal) follows in the proposer's personal chat.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

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

Core = Callable[..., Awaitable[Any]]
TellPerson = Callable[[str, dict[str, Any]], Awaitable[None]]


class FormProposals:
    """Proposals from forms, and the ones still running (so shutdown and tests can wait)."""

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
        """What the dialog answers; a ClearpostError found before screening is raised, so the
        form comes back with it."""
        await self.core(self.workflow.build_content, request)
        proposing = self._keep(self.core(self.workflow.propose, request, person))
        done, _ = await asyncio.wait({proposing}, timeout=self.answer_within)
        if done:
            return self.confirm(proposing.result())
        self._keep(self._tell_later(proposing, person))
        return STILL_SCREENING

    def _keep(self, work: Awaitable[Any]) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(work)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task

    async def _tell_later(self, proposing: asyncio.Task[Post], person: Person) -> None:
        try:
            said = self.confirm(await proposing)
        except ClearpostError as exc:
            said = f"{exc} Nothing was proposed."
        except Exception:
            ref = uuid.uuid4().hex[:6]
            log.exception("teams proposal from a form failed (ref %s)", ref)
            said = f"Something went wrong on our side (ref {ref}); nothing was proposed."
        if self.tell_person is None:
            log.warning("teams: no way to tell %s that a proposal finished", person.ref)
            return
        try:
            await self.tell_person(person.user_id, cards.attachment(cards.notice_card(said)))
        except Exception as exc:
            log.warning("teams: proposal confirmation not sent: %s", type(exc).__name__)

    async def settle(self) -> None:
        while self.tasks:
            await asyncio.gather(*list(self.tasks), return_exceptions=True)
