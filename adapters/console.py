"""The local console: a chat REPL speaking the same commands as Slack and Teams.

Type `as officer` to act as someone else; what the approval thread and the proposer's DMs would
show is printed as it happens. `ConsoleFrontEnd.handle(line)` is the whole adapter and returns the
reply as text, so tests type a line and read the answer.
"""

from __future__ import annotations

import logging
import sys
import uuid
from collections.abc import Callable
from typing import TextIO
from zoneinfo import ZoneInfo

from adapters.bootstrap import Chat, ChatBuilder
from bot import replies, timeparse
from bot.commands import PROPOSE_EXAMPLE, parse_propose
from bot.consent_findings import shown_findings
from bot.domain import Person, Post, ThreadRef
from bot.errors import ClearpostError, UsageError
from bot.ports import Notice
from bot.screening_gate import override_line
from bot.workflow import Workflow

log = logging.getLogger(__name__)

PLATFORM = "console"

HELP = """\
Commands (the same as in Slack and Teams):
  /propose <channels> <when> <text> [--urgent] [--media URL [--alt DESCRIPTION]] [--link URL]
           [--tag T] [--campaign NAME] [--notes TEXT] [--for CHANNEL TEXT]
      e.g. /propose x,facebook tomorrow 9am Flu shots are in! Walk-ins welcome.
  /approve <post> [--override "why"]  approve (approvers); high-severity findings need a reason
  /request-changes <post> <reason>    send it back to the proposer
  /reject <post> <reason>             stop it for good
  /edit <post> <new text>             a new revision (voids any approval)
  /reschedule <post> <when>           a new time (voids any approval)
  /withdraw <post> [reason]           the proposer takes it back
  /comment <post> <text>              a review comment in the thread
  /retry <post> [channel]             send a failed or uncertain delivery again (approvers)
  /publish-now <post> [channel]       send a missed delivery, or a held one anyway (approvers)
  /mark-published <post> <channel> [link]   it did go out: record it (approvers)
  /consent <post> <who signed> --form <where the signed form is>   record a patient's consent
           (approvers): their name and photo findings then read "consent on file"
  /cancel <post> [channel]            call off a channel that has not gone out
  /show <post>    /audit <post>    /calendar [days]    /queue    /mine
  as <name>                           act as someone else (e.g. `as officer`)
  help    quit"""


def _post_summary(post: Post, zone: ZoneInfo) -> list[str]:
    content = post.content
    when = timeparse.describe(content.scheduled_at, zone)
    urgent = post.urgent or (post.checklist is not None and post.checklist.urgent)
    flags = " URGENT" if urgent else ""
    lines = [
        f"Post #{post.id}{flags} · {post.state.label} · revision {post.revision.number} "
        f"({post.revision.short_hash})",
        f"  by {post.proposer.display} · {', '.join(content.channels)} · {when}",
        f"  {content.text}",
    ]
    lines += [f"  [{ch}] {text}" for ch, text in content.overrides.items()]
    for index, item in enumerate(content.media):
        alt = content.alt_for(index)
        lines.append(f'  media: {item} (alt text: "{alt}")' if alt else f"  media: {item}")
    if content.link:
        lines.append(f"  link: {content.link}")
    if content.notes:
        lines.append(f"  notes to reviewer: {content.notes}")
    lines += [f"  ! {p}" for p in shown_findings(post)]
    if overridden := override_line(post):  # what the signers after an override are told
        lines.append(f"  {overridden}")
    if post.checklist is not None and post.checklist.staged:
        lines += [f"  {row}" for row in post.checklist.rows()]
    for d in post.deliveries.values():
        extra = f" {d.url}" if d.url else (f" ({d.last_error})" if d.last_error else "")
        lines.append(f"  - {d.channel}: {d.state.value}{extra}")
    return lines


class ConsoleNotifier:
    """Prints what the approval channel, its thread and the proposer's DMs would show."""

    platform = PLATFORM

    def __init__(self, zone: ZoneInfo, write: Callable[[str], None]) -> None:
        self.zone = zone
        self.write = write

    def announce(self, post: Post) -> ThreadRef:
        lines = _post_summary(post, self.zone)
        buttons = "  [Approve] [Request changes] [Reject]"
        self.write("\n".join(["[#approvals] New proposal", *lines, buttons]))
        return ThreadRef(PLATFORM, "approvals", f"post-{post.id}")

    def notify(self, notice: Notice) -> None:
        post = notice.post
        self.write(f"[#approvals › post #{post.id}] {notice.text}")
        for line in notice.diff:  # an edit: what changed (bot/revision_diff.py)
            self.write(f"[#approvals › post #{post.id}]   {line}")
        self.write(f"[#approvals] post #{post.id} is now {post.state.label}")
        if notice.tell_proposer:
            self.write(f"[DM to {post.proposer.display}] Post #{post.id}: {notice.text}")
        for person in notice.tell_people:
            if person.platform == PLATFORM:
                self.write(f"[DM to {person.display}] Post #{post.id}: {notice.text}")


class ConsoleFrontEnd:
    def __init__(self, workflow: Workflow, write: Callable[[str], None]) -> None:
        self.workflow = workflow
        self.me = Person(PLATFORM, "nurse", "nurse")
        self.write = write
        self.commands: dict[str, Callable[[str], str]] = {
            "/propose": self.propose,
            "/approve": self.approve,
            "/request-changes": self.request_changes,
            "/reject": self.reject,
            "/edit": self.edit,
            "/reschedule": self.reschedule,
            "/withdraw": self.withdraw,
            "/comment": self.comment,
            "/retry": self.retry,
            "/publish-now": self.publish_now,
            "/mark-published": self.mark_published,
            "/consent": self.consent,
            "/cancel": self.cancel,
            "/show": self.show,
            "/audit": self.audit,
            "/calendar": self.calendar,
            "/queue": self.queue,
            "/mine": self.mine,
            "as": self.act_as,
            "help": lambda _rest: HELP,
        }

    def handle(self, line: str) -> str:
        """One line in, the reply out. Never raises for a person's mistake."""
        line = line.strip()
        if not line:
            return ""
        verb, _, rest = line.partition(" ")
        verb = verb.lower()
        command = self.commands.get(verb) or self.commands.get("/" + verb)
        if command is None:
            return replies.unknown_command(verb, self.commands)
        try:
            return command(rest.strip())
        except ClearpostError as exc:
            return str(exc)
        except Exception:
            ref = uuid.uuid4().hex[:6]
            log.exception("console command failed (ref %s)", ref)
            return f"Something went wrong on our side (ref {ref}); nothing was saved."

    # -- commands ------------------------------------------------------------------------------

    def act_as(self, rest: str) -> str:
        name = rest.strip().lower()
        if not name or " " in name:
            raise UsageError("Say who to act as, in one word.", "as officer")
        self.me = Person(PLATFORM, name, name)
        role = "an approver" if self.workflow.is_approver(self.me) else "not an approver"
        return f"You are now {name} ({role})."

    def propose(self, rest: str) -> str:
        if not rest:
            raise UsageError("Say where, when and what to post.", PROPOSE_EXAMPLE)
        request = parse_propose(rest, self.workflow.reads_as_time)
        post = self.workflow.propose(request, by=self.me)
        return self.workflow.confirmation(post)

    def _post_and_rest(self, rest: str, usage: str) -> tuple[int, str]:
        head, _, tail = rest.partition(" ")
        number = head.lstrip("#")
        if not number.isdigit():
            raise UsageError("Start with the post number.", usage)
        return int(number), tail.strip()

    def approve(self, rest: str) -> str:
        post_id, more = self._post_and_rest(rest, '/approve 12 [--override "reason"]')
        override = more.partition("--override")[2].strip().strip('"')
        reason = override if "--override" in more else None
        post = self.workflow.approve(post_id, self.me, override_reason=reason)
        return f"You approved post #{post.id}; it is {post.state.label}."

    def consent(self, rest: str) -> str:
        usage = '/consent 12 Thiago Silva --form "EHR scan 2026-11-03 #4411"'
        post_id, more = self._post_and_rest(rest, usage)
        who, marker, form_ref = more.partition("--form")
        who, form_ref = who.strip(), form_ref.strip().strip('"')
        if not who or not marker or not form_ref:
            raise UsageError("Say who signed the consent and where the signed form is.", usage)
        consent = self.workflow.record_consent(post_id, who, form_ref, self.me)
        return f"Recorded for post #{post_id}: {consent.describe()}."

    def request_changes(self, rest: str) -> str:
        post_id, reason = self._post_and_rest(rest, "/request-changes 12 Name the clinics")
        post = self.workflow.request_changes(post_id, self.me, reason)
        return f"Post #{post.id} went back to {post.proposer.display} for changes."

    def reject(self, rest: str) -> str:
        post_id, reason = self._post_and_rest(rest, "/reject 12 Mentions a patient")
        post = self.workflow.reject(post_id, self.me, reason)
        return f"You rejected post #{post.id}."

    def edit(self, rest: str) -> str:
        post_id, text = self._post_and_rest(rest, "/edit 12 Flu shots from Tuesday")
        if not text:
            raise UsageError("Give the new text after the post number.", "/edit 12 New text")
        post = self.workflow.revise(post_id, self.me, text=text)
        return self.workflow.confirmation(post, f"Revision {post.revision.number} of")

    def reschedule(self, rest: str) -> str:
        post_id, when = self._post_and_rest(rest, "/reschedule 12 friday 10am")
        if not when:
            raise UsageError("Give the new time after the post number.", "/reschedule 12 9am")
        post = self.workflow.revise(post_id, self.me, when=when)
        shown = timeparse.describe(post.scheduled_at, self.workflow.zone)
        return f"Post #{post.id} moved to {shown}; it needs approval again."

    def withdraw(self, rest: str) -> str:
        post_id, reason = self._post_and_rest(rest, "/withdraw 12")
        post = self.workflow.withdraw(post_id, self.me, reason or None)
        return f"Post #{post.id} is withdrawn; it will not be published."

    def comment(self, rest: str) -> str:
        post_id, text = self._post_and_rest(rest, "/comment 12 Which clinics?")
        self.workflow.comment(post_id, self.me, text)
        return f"Comment added to post #{post_id}."

    def retry(self, rest: str) -> str:
        post_id, channel = self._post_and_rest(rest, "/retry 12 x-main")
        self.workflow.retry_delivery(post_id, self.me, channel or None)
        return f"Post #{post_id} will be sent again shortly."

    def publish_now(self, rest: str) -> str:
        post_id, channel = self._post_and_rest(rest, "/publish-now 12")
        self.workflow.publish_now(post_id, self.me, channel or None)
        return f"Post #{post_id} will be published shortly."

    def mark_published(self, rest: str) -> str:
        usage = "/mark-published 12 x-main https://x.com/clinic/status/1"
        post_id, tail = self._post_and_rest(rest, usage)
        channel, _, url = tail.partition(" ")
        if not channel:
            raise UsageError("Name the channel it went out on.", usage)
        self.workflow.mark_published(post_id, self.me, channel, url.strip() or None)
        return f"Post #{post_id} is recorded as published on {channel}."

    def cancel(self, rest: str) -> str:
        post_id, channel = self._post_and_rest(rest, "/cancel 12 x-main")
        post = self.workflow.cancel_delivery(post_id, self.me, channel or None)
        return f"Cancelled; post #{post.id} is {post.state.label}."

    def show(self, rest: str) -> str:
        post_id, _ = self._post_and_rest(rest, "/show 12")
        return "\n".join(_post_summary(self.workflow.get(post_id), self.workflow.zone))

    def audit(self, rest: str) -> str:
        post_id, _ = self._post_and_rest(rest, "/audit 12")
        zone = self.workflow.zone
        lines = []
        for e in self.workflow.audit_trail(post_id):
            move = f" {e.from_state or '-'} → {e.to_state}" if e.to_state else ""
            why = f" — {e.reason}" if e.reason else ""
            on = f" [{e.channel}]" if e.channel else ""
            lines.append(
                f"{e.seq:>3} {timeparse.describe(e.at, zone)} {e.actor.display}: "
                f"{e.action}{move}{on}{why}"
            )
        return "\n".join(lines)

    def calendar(self, rest: str) -> str:
        days = int(rest) if rest.isdigit() else 14
        posts = self.workflow.calendar(days=days)
        if not posts:
            return f"Nothing is scheduled in the next {days} days."
        zone = self.workflow.zone
        return "\n".join(
            f"{timeparse.describe(p.scheduled_at, zone)}  #{p.id} {p.state.label:<17} "
            f"{', '.join(p.channels)}: {p.content.text[:60]}"
            for p in posts
        )

    def queue(self, _rest: str) -> str:
        posts = self.workflow.review_queue(self.me)
        if not self.workflow.is_approver(self.me):
            return "You are not an approver, so nothing waits for you."
        if not posts:
            return "Nothing is waiting for your review."
        return "\n".join(f"#{p.id} by {p.proposer.display}: {p.content.text[:60]}" for p in posts)

    def mine(self, _rest: str) -> str:
        posts = self.workflow.my_posts(self.me)
        if not posts:
            return "You have not proposed anything yet."
        return "\n".join(f"#{p.id} {p.state.label}: {p.content.text[:60]}" for p in posts)


def printer(stdout: TextIO) -> Callable[[str], None]:
    def write(text: str) -> None:
        print(text, file=stdout, flush=True)

    return write


def console_chat(write: Callable[[str], None]) -> ChatBuilder:
    """The console's part of the core: what the approval channel would show, printed."""
    return lambda settings, _engine, _clock: Chat(PLATFORM, ConsoleNotifier(settings.zone, write))


def run_console(workflow: Workflow, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> None:
    write = printer(stdout)
    front = ConsoleFrontEnd(workflow, write)
    write("Clearpost console. Type `help` for commands; you are `nurse` (try `as officer`).")
    while True:
        stdout.write(f"[{front.me.user_id}] > ")
        stdout.flush()
        line = stdin.readline()
        if not line or line.strip().lower() in {"quit", "exit"}:
            write("Bye.")
            return
        reply = front.handle(line)
        if reply:
            write(reply)
