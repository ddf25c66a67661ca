"""`clearpost consent`: record a patient's signed consent for a post, or list what is on file.

    clearpost consent add --post 12 --who "Maria Lopez" --form-ref "EHR scan 2026-11-03 #4411" \
        --by slack:U024BE7LH
    clearpost consent list --post 12

The compliance officer records a consent in the approval thread ("Record consent"), where the
platform says who they are. This command is an administrator's tool (it needs the database's
settings): it cannot tell who is typing, so `--by` must name the approver the consent is
recorded for, as `[approvers]` or `[policy.people]` name them; the core refuses anyone who may
not decide the post and the post's proposer, as in chat, and the audit event also keeps the
login that typed the command.

`add` notes who signed and where the signed form is kept (not the form itself), audits it on the
post and tells the approval thread (Slack or Teams, when configured): from then on a finding of
that person's name or photo reads "consent on file" and no longer blocks approval. Refusals end
with a sentence and exit 2.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from bot.domain import Person
from bot.errors import UsageError
from bot.identities import Directory


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")


def cmd_add(args: argparse.Namespace) -> int:
    from adapters.cli import open_core
    from adapters.web import chats

    core = open_core(quiet=True, chat=chats())
    login = getpass.getuser()
    try:  # a refusal (unknown post, not an approver) reaches the person through cli.main
        by = approver_named(core.workflow.policy.directory, args.by)
        via = f"entered with `clearpost consent add` by login {login}"
        consent = core.workflow.record_consent(args.post, args.who, args.form_ref, by, via)
    finally:
        core.shutdown()
    _say(f"Post #{consent.post_id}: {consent.describe()}, recorded by {by.display}.")
    return 0


def approver_named(directory: Directory, named: str) -> Person:
    """The account `--by` names: `platform:user_id`, or a person of `[policy.people]` (their
    first account). Whether they may record the consent is the core's question."""
    named = named.strip()
    platform, _, user_id = named.partition(":")
    if platform and user_id:
        person = Person(platform, user_id)
    else:
        accounts = directory.accounts(named)
        if not accounts:
            raise UsageError(
                f"--by names nobody Clearpost knows ({named!r}): give the approver's account as "
                "[approvers] lists it (slack:U…, teams:…, console:…) or their [policy.people] key.",
                "clearpost consent add --post 12 --who 'Maria Lopez' --form-ref 'EHR scan #4411' "
                "--by slack:U024BE7LH",
            )
        platform, _, user_id = accounts[0].partition(":")
        person = Person(platform, user_id)
    shown = directory.display(directory.identify(person))
    return Person(person.platform, person.user_id, shown or person.user_id)


def cmd_list(args: argparse.Namespace) -> int:
    from adapters.cli import open_core

    core = open_core(quiet=True)
    try:
        core.workflow.get(args.post)  # an unknown post is refused, not listed as empty
        consents = core.workflow.consents_for(args.post)
    finally:
        core.shutdown()
    if not consents:
        _say(f"Post #{args.post}: no consent on file.")
    for c in consents:
        when = c.recorded_at.strftime("%Y-%m-%d %H:%M UTC")
        _say(f"Post #{c.post_id}: {c.describe()}, recorded by {c.recorded_by.display} {when}.")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    consent = sub.add_parser("consent", help="patients' signed consents, per post")
    verbs = consent.add_subparsers(dest="verb", required=True)
    add = verbs.add_parser("add", help="record who signed and where the form is kept")
    add.add_argument("--post", type=int, required=True, help="the post's number")
    add.add_argument("--who", required=True, help="who signed (the patient or their guardian)")
    add.add_argument("--form-ref", required=True, help="where the signed form is kept")
    add.add_argument(
        "--by",
        required=True,
        help="the approver recording it: slack:U…, teams:…, console:… or a [policy.people] key",
    )
    add.set_defaults(func=cmd_add)
    listing = verbs.add_parser("list", help="the consents on file for a post")
    listing.add_argument("--post", type=int, required=True)
    listing.set_defaults(func=cmd_list)
