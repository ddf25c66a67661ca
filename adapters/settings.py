"""Settings: environment variables first, then an optional TOML file (`CLEARPOST_CONFIG`, default
`clearpost.toml`). Names that platforms made standard (`SLACK_BOT_TOKEN`, …) are accepted as is.

`check()` is what `clearpost config check` prints: each setting with secrets masked, and each
missing or invalid one with the variable to set and how.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, SecretStr, field_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from adapters.audit_settings import AuditSettings
from adapters.media.settings import MEDIA_ENV_NAMES, MediaSettings
from adapters.policy_settings import PolicySettings
from adapters.schedule_settings import ScheduleRulesSettings
from adapters.screening_settings import ScreeningSettings
from adapters.teams.cloud import TeamsCloudSettings
from bot.channels import TEXT_LIMITS

# Used until a practice configures its own, so the console works on a fresh machine.
DEMO_CHANNELS = {
    "x-main": {"network": "x"},
    "facebook-clinic": {"network": "facebook"},
    "instagram-clinic": {"network": "instagram"},
    "blog": {"network": "wordpress"},
}
DEMO_APPROVERS = ["console:officer"]


class ChannelSettings(BaseModel):
    """One named destination. Network-specific keys (account ids, base URLs) ride along."""

    model_config = ConfigDict(extra="allow")

    network: str

    @field_validator("network")
    @classmethod
    def _known_network(cls, value: str) -> str:
        value = value.strip().lower()
        if value not in TEXT_LIMITS:
            raise ValueError(
                f"unknown network {value!r}; choose one of {', '.join(sorted(TEXT_LIMITS))}"
            )
        return value


class PracticeSettings(BaseModel):
    """`[practice]`: the practice's own details, which screening never reads as PHI."""

    model_config = ConfigDict(extra="forbid")

    name: str = ""
    address: str = ""
    phones: list[str] = Field(default_factory=list)
    fax: list[str] = Field(default_factory=list)
    emails: list[str] = Field(default_factory=list)
    websites: list[str] = Field(default_factory=list)  # sites and the practice's @handles
    staff: list[str] = Field(default_factory=list)
    banned_words: list[str] = Field(default_factory=list)  # flagged in every post
    public_names: list[str] = Field(default_factory=list)  # officials, mascots: not patients

    @field_validator(
        "phones",
        "fax",
        "emails",
        "websites",
        "staff",
        "banned_words",
        "public_names",
        mode="before",
    )
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


ICS_TOKEN_MIN, ICS_TOKEN_MAX = 16, 128
ICS_TOKEN_FORM = re.compile(rf"[A-Za-z0-9_-]{{{ICS_TOKEN_MIN},{ICS_TOKEN_MAX}}}")
TEAMS_FLAG_VALUES = ("", "0", "false", "1", "true")


def _env(*names: str) -> Any:
    return Field(default=None, validation_alias=AliasChoices(*names))


def _split_list(value: Any) -> Any:
    if isinstance(value, str):
        return [v.strip() for v in value.replace("\n", ",").split(",") if v.strip()]
    return value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="CLEARPOST_", extra="ignore", populate_by_name=True
    )

    database_url: str = "sqlite:///clearpost.db"
    timezone: str = "America/New_York"
    date_order: str = "MDY"
    approvers: Annotated[list[str], NoDecode] = Field(default_factory=lambda: list(DEMO_APPROVERS))
    required_approvals: int = Field(default=1, ge=1, le=10)
    channels: Annotated[dict[str, ChannelSettings], NoDecode] = Field(
        default_factory=lambda: {k: ChannelSettings(**v) for k, v in DEMO_CHANNELS.items()}
    )
    log_level: str = "INFO"
    http_host: str = "127.0.0.1"
    http_port: int = Field(default=3000, ge=0, le=65535)
    grace_minutes: int = Field(default=60, ge=0)
    # A transient publish failure waits this long, doubling each time, for this many attempts.
    retry_first_seconds: float = Field(default=30, ge=1, le=3600)
    retry_max_attempts: int = Field(default=5, ge=1, le=20)
    public_base_url: str | None = None  # how people reach `clearpost serve` (links, ICS feed)
    ics_token: SecretStr | None = None  # the secret in the calendar feed URL
    secret_key: SecretStr | None = None  # Fernet key(s) sealing stored channel credentials

    slack_bot_token: SecretStr | None = _env("SLACK_BOT_TOKEN", "CLEARPOST_SLACK_BOT_TOKEN")
    slack_signing_secret: SecretStr | None = _env(
        "SLACK_SIGNING_SECRET", "CLEARPOST_SLACK_SIGNING_SECRET"
    )
    slack_app_token: SecretStr | None = _env("SLACK_APP_TOKEN", "CLEARPOST_SLACK_APP_TOKEN")
    slack_api_url: str | None = _env("SLACK_API_URL", "CLEARPOST_SLACK_API_URL")
    slack_approval_channel: str | None = _env(
        "SLACK_APPROVAL_CHANNEL", "CLEARPOST_SLACK_APPROVAL_CHANNEL"
    )
    slack_approver_group: str | None = _env(  # a user group handle, e.g. compliance
        "SLACK_APPROVER_GROUP", "CLEARPOST_SLACK_APPROVER_GROUP"
    )

    teams_app_id: str | None = _env("MicrosoftAppId", "TEAMS_APP_ID", "CLEARPOST_TEAMS_APP_ID")
    # "1" or "true" with no app id: Teams unauthenticated, for local testing only (warned loudly).
    teams_local: str | None = _env("CLEARPOST_TEAMS_ENABLED")
    teams_app_password: SecretStr | None = _env(
        "MicrosoftAppPassword", "TEAMS_APP_PASSWORD", "CLEARPOST_TEAMS_APP_PASSWORD"
    )
    teams_tenant_id: str | None = _env(
        "MicrosoftAppTenantId", "TEAMS_TENANT_ID", "CLEARPOST_TEAMS_TENANT_ID"
    )
    # Certificate credentials instead of a password: the thumbprint and a PEM private key file.
    teams_certificate_thumbprint: str | None = _env(
        "MicrosoftAppCertificateThumbprint", "CLEARPOST_TEAMS_CERTIFICATE_THUMBPRINT"
    )
    teams_certificate_key_file: str | None = _env(
        "MicrosoftAppCertificateKeyFile", "CLEARPOST_TEAMS_CERTIFICATE_KEY_FILE"
    )
    teams_app_type: str = Field(
        default="SingleTenant",
        validation_alias=AliasChoices(
            "MicrosoftAppType", "TEAMS_APP_TYPE", "CLEARPOST_TEAMS_APP_TYPE"
        ),
    )
    # The compliance channel's id (19:…@thread.tacv2); unset: the first channel Clearpost joins.
    teams_approval_channel: str | None = None
    # Entra ID object ids of the approver group's members (no Graph lookup needed).
    teams_approver_group: Annotated[list[str], NoDecode] = Field(default_factory=list)
    teams_cloud: TeamsCloudSettings = Field(default_factory=TeamsCloudSettings)
    # The practice's own details for screening (`[practice]` in clearpost.toml).
    practice: PracticeSettings = Field(default_factory=PracticeSettings)
    policy: PolicySettings = Field(default_factory=PolicySettings)  # `[policy]`: stages, people
    audit: AuditSettings = Field(default_factory=AuditSettings)  # `[audit]`: audit_settings.py
    screening: ScreeningSettings = Field(default_factory=ScreeningSettings)  # screening_settings
    schedule_rules: ScheduleRulesSettings = Field(default_factory=ScheduleRulesSettings)
    media: MediaSettings = Field(default_factory=MediaSettings)  # `[media]`: adapters/media

    @field_validator("ics_token")
    @classmethod
    def _ics_token_unguessable(cls, value: SecretStr | None) -> SecretStr | None:
        # The token is the feed's only protection, and it is masked in every log line.
        if value is not None and not ICS_TOKEN_FORM.fullmatch(value.get_secret_value()):
            raise ValueError(
                f"must be {ICS_TOKEN_MIN}–{ICS_TOKEN_MAX} letters, digits, - or _ (it is the "
                "feed's only protection); make one with "
                "python -c 'import secrets; print(secrets.token_urlsafe(24))'"
            )
        return value

    @field_validator("teams_app_id")
    @classmethod
    def _app_id_not_blank(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            # Blank used to mean "no app id", which serves /api/messages unauthenticated.
            raise ValueError(
                "is set but blank. Give the bot's Entra ID app id, or unset it (and set "
                "CLEARPOST_TEAMS_ENABLED=1 only to test Teams locally without authentication)."
            )
        return value

    @field_validator("teams_local")
    @classmethod
    def _teams_flag(cls, value: str | None) -> str | None:
        if value is not None and value.strip().lower() not in TEAMS_FLAG_VALUES:
            raise ValueError(
                f"“{value}” is not 1, true, 0 or false. Set 1 or true only to run Teams "
                "without authentication for local testing."
            )
        return value

    @field_validator("approvers", "teams_approver_group", mode="before")
    @classmethod
    def _approvers_list(cls, value: Any) -> Any:
        return _split_list(value)

    @field_validator("approvers")
    @classmethod
    def _approver_refs(cls, value: list[str]) -> list[str]:
        bad = [v for v in value if ":" not in v]
        if bad:
            raise ValueError(
                f"approvers are written platform:user_id (e.g. slack:U024BE7LH); got {bad}"
            )
        return value

    @field_validator("channels", mode="before")
    @classmethod
    def _channels_shorthand(cls, value: Any) -> Any:
        """`x-main=x, blog=wordpress` is accepted besides JSON and TOML tables."""
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("{"):
                import json

                return json.loads(text)
            pairs = [p.strip() for p in text.split(",") if p.strip()]
            if any("=" not in p for p in pairs):
                raise ValueError(
                    "write channels as name=network pairs, e.g. x-main=x,blog=wordpress"
                )
            return {
                k.strip().lower(): {"network": n.strip()}
                for k, n in (p.split("=", 1) for p in pairs)
            }
        if isinstance(value, Mapping):
            return {str(k).lower(): v for k, v in value.items()}
        return value

    @field_validator("timezone")
    @classmethod
    def _real_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"{value!r} is not an IANA time zone; use a name like America/New_York"
            ) from None
        return value

    @field_validator("date_order")
    @classmethod
    def _date_order(cls, value: str) -> str:
        if value.upper() not in {"MDY", "DMY", "YMD"}:
            raise ValueError("date_order is MDY, DMY or YMD")
        return value.upper()

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def channel_networks(self) -> dict[str, str]:
        return {name: ch.network for name, ch in self.channels.items()}

    @property
    def slack_enabled(self) -> bool:
        return self.slack_bot_token is not None

    @property
    def teams_enabled(self) -> bool:
        flag = os.environ.get("CLEARPOST_TEAMS_ENABLED", self.teams_local or "")
        return self.teams_app_id is not None or flag.strip().lower() in ("1", "true")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_path = Path(os.environ.get("CLEARPOST_CONFIG", "clearpost.toml"))
        return (
            init_settings,
            env_settings,
            TomlConfigSettingsSource(settings_cls, toml_file=toml_path),
        )


def known_env_names() -> set[str]:
    names: set[str] = {"CLEARPOST_CONFIG", "CLEARPOST_TEAMS_ENABLED"} | AuditSettings.env_names()
    names |= MEDIA_ENV_NAMES
    for name, info in Settings.model_fields.items():
        names.add(f"CLEARPOST_{name.upper()}")
        alias = info.validation_alias
        if isinstance(alias, AliasChoices):
            names.update(str(c) for c in alias.choices)
    return names
