"""`clearpost consent`: record a patient's signed consent for a post, or list what is on file.

    clearpost consent add --post 12 --who "Maria Lopez" --form-ref "EHR scan 2026-11-03 #4411"
    clearpost consent list --post 12

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


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")


def cmd_add(args: argparse.Namespace) -> int:
    from adapters.cli import open_core
    from adapters.web import chats

    core = open_core(quiet=True, chat=chats())
    user = getpass.getuser()
    by = Person("cli", user, args.by or user)
    try:  # a refusal (unknown post, nothing given) reaches the person through cli.main
        consent = core.workflow.record_consent(args.post, args.who, args.form_ref, by)
    finally:
        core.shutdown()
    _say(f"Post #{consent.post_id}: {consent.describe()}, recorded by {by.display}.")
    return 0


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
    add.add_argument("--by", help="your name as the thread shows it (default: your login)")
    add.set_defaults(func=cmd_add)
    listing = verbs.add_parser("list", help="the consents on file for a post")
    listing.add_argument("--post", type=int, required=True)
    listing.set_defaults(func=cmd_list)
