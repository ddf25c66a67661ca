"""Who acts on a post: a person on a chat platform, or Clearpost itself."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Person:
    """Someone on a chat platform. `ref` is how policies and the audit trail name them."""

    platform: str
    user_id: str
    name: str = ""

    @property
    def ref(self) -> str:
        return f"{self.platform}:{self.user_id}"

    @property
    def display(self) -> str:
        return self.name or self.user_id


SYSTEM = Person("clearpost", "system", "Clearpost")
