"""What `clearpost config check` says: each setting (secrets masked), and what to fix."""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Mapping

from pydantic import SecretStr, ValidationError

from adapters.publishers.base import secret_variable
from adapters.settings import DEMO_APPROVERS, DEMO_CHANNELS, Settings, known_env_names


def _variable_for(field: str) -> str:
    info = Settings.model_fields.get(field)
    if info is None and field in known_env_names():
        return field  # pydantic names an aliased field by the variable it came from
    alias = getattr(info, "validation_alias", None) if info else None
    choices = getattr(alias, "choices", None)
    if choices:
        return str(choices[0])
    return f"CLEARPOST_{field.upper()}"


def _shown(value: object) -> str:
    if isinstance(value, SecretStr):
        return "set (hidden)"
    if value is None:
        return "not set"
    if isinstance(value, Mapping):
        return ", ".join(f"{k}={getattr(v, 'network', v)}" for k, v in value.items()) or "none"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "none"
    return str(value)


def channel_prefixes(channels: Iterable[str]) -> tuple[str, ...]:
    """`x-main` -> `CLEARPOST_X_MAIN_`: where that channel's secrets live (publishers/base.py)."""
    return tuple(secret_variable(name, "") for name in channels)


def unknown_variables(environ: Mapping[str, str], channels: Iterable[str] = ()) -> list[str]:
    known = known_env_names()
    prefixes = channel_prefixes(channels)
    lines = []
    for name in sorted(environ):
        if name.startswith(prefixes) and name not in known:
            continue  # a configured channel's secret, e.g. CLEARPOST_X_MAIN_ACCESS_TOKEN
        if name.startswith("CLEARPOST_") and name not in known:
            guess = difflib.get_close_matches(name, sorted(known), n=1)
            hint = f" Did you mean {guess[0]}?" if guess else ""
            lines.append(f"  ? {name} is not a Clearpost setting.{hint}")
    return lines


def config_report(environ: Mapping[str, str] | None = None) -> tuple[bool, str]:
    """(valid, text). Invalid settings are named with the variable to set and how."""
    environ = os.environ if environ is None else environ
    lines: list[str] = []
    try:
        settings = Settings()
    except ValidationError as exc:
        lines.append("Clearpost's settings have problems:")
        for error in exc.errors():
            field = str(error["loc"][0]) if error["loc"] else "?"
            where = ".".join(str(p) for p in error["loc"][1:])
            detail = error["msg"].removeprefix("Value error, ")
            at = f" ({where})" if where else ""
            lines.append(f"  ✗ {_variable_for(field)}{at}: {detail}")
        lines += unknown_variables(environ)
        return False, "\n".join(lines)

    lines.append("Clearpost settings:")
    for name in Settings.model_fields:
        lines.append(f"  {_variable_for(name):<34} {_shown(getattr(settings, name))}")
    warnings: list[str] = []
    if {k: {"network": v.network} for k, v in settings.channels.items()} == DEMO_CHANNELS:
        warnings.append(
            "CLEARPOST_CHANNELS: using the demo channels; set your own, e.g. "
            "CLEARPOST_CHANNELS='x-main=x,blog=wordpress' or a [channels] table in clearpost.toml."
        )
    if settings.approvers == DEMO_APPROVERS:
        warnings.append(
            "CLEARPOST_APPROVERS: only the console's demo officer can approve; add people as "
            "platform:user_id, e.g. CLEARPOST_APPROVERS='slack:U024BE7LH,teams:<object-id>'."
        )
    if settings.slack_bot_token and not settings.slack_signing_secret:
        warnings.append(
            "SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN (Basic Information page of your "
            "Slack app), or Slack requests cannot be verified."
        )
    if settings.slack_bot_token and not settings.slack_approval_channel:
        warnings.append(
            "SLACK_APPROVAL_CHANNEL: set the channel id where approval threads open (e.g. C0123)."
        )
    certificate = (settings.teams_certificate_thumbprint, settings.teams_certificate_key_file)
    if any(certificate) and not all(certificate):
        warnings.append(
            "MicrosoftAppCertificateThumbprint and MicrosoftAppCertificateKeyFile go together: "
            "set both (the thumbprint and the path of the PEM private key), or neither."
        )
    if settings.teams_enabled and settings.teams_app_id is None:
        warnings.append(
            "CLEARPOST_TEAMS_ENABLED: Teams runs WITHOUT AUTHENTICATION (no MicrosoftAppId): "
            "anyone who can reach /api/messages can act as anyone. For local testing only."
        )
    if settings.teams_app_id and not settings.teams_app_password and not all(certificate):
        warnings.append(
            "MicrosoftAppPassword: required with MicrosoftAppId for Teams, unless you use a "
            "certificate (MicrosoftAppCertificateThumbprint and MicrosoftAppCertificateKeyFile)."
        )
    unknown = unknown_variables(environ, settings.channels)
    if warnings or unknown:
        lines.append("To look at:")
        lines += [f"  ! {w}" for w in warnings]
        lines += unknown
    else:
        lines.append("Everything needed is set.")
    return True, "\n".join(lines)
