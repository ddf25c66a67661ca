"""`[screening]` settings: what screening asks of a post beyond PHI and claims.

    [screening.disclaimers]
    "facebook-main" = "This is not medical advice."      # a channel's name
    "#wellness" = "Talk to your doctor before starting any new exercise."   # a tag

A post for that channel, or with that tag, whose text lacks the sentence gets a high-severity
finding whose fix is the sentence to append (bot/disclaimers.py).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator


class ScreeningSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    disclaimers: dict[str, str] = Field(default_factory=dict)

    @field_validator("disclaimers")
    @classmethod
    def _each_says_something(cls, value: dict[str, str]) -> dict[str, str]:
        for key, sentence in value.items():
            if not key.strip() or not sentence.strip():
                raise ValueError(
                    f'[screening.disclaimers] "{key}" needs a channel name or "#tag" and the '
                    'sentence to require, e.g. "#wellness" = "This is not medical advice."'
                )
        return {k.strip(): v.strip() for k, v in value.items()}
