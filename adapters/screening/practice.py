"""The practice's own details (`[practice]` in clearpost.toml): context that is never PHI."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.U)
_TITLES = {"dr", "dra", "nurse", "np", "pa", "rn", "md"}


def digits(text: str) -> str:
    """The last ten digits: one phone number however it is written."""
    return re.sub(r"\D", "", text)[-10:]


def _domain(site: str) -> str:
    host = re.sub(r"^[a-z]+://", "", site.strip().lower()).split("/")[0]
    return host.removeprefix("www.")


def _path(site: str) -> str:
    """The first part of a link's path, lower case, without trailing punctuation."""
    parts = re.sub(r"^[a-z]+://", "", site.strip().lower()).split("/")
    return parts[1].rstrip(".,:;!?)") if len(parts) > 1 else ""


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value.strip() else []
    return [str(v) for v in value if str(v).strip()]


@dataclass(frozen=True)
class Practice:
    """Name, address, phones, fax, e-mails, websites (and handles), staff; plus banned words."""

    name: str = ""
    address: str = ""
    phones: tuple[str, ...] = ()
    fax: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    websites: tuple[str, ...] = ()
    staff: tuple[str, ...] = ()
    banned_words: tuple[str, ...] = ()
    public_names: tuple[str, ...] = field(default=())  # officials, figures, pets and mascots

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None) -> Practice:
        """From a `[practice]` table or a JSONL line's "practice" object; unknown keys refused."""
        data = dict(data or {})
        known = {f for f in cls.__dataclass_fields__}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown practice keys: {', '.join(sorted(unknown))}")
        return cls(
            name=str(data.get("name") or ""),
            address=str(data.get("address") or ""),
            **{k: tuple(_as_list(data.get(k))) for k in known - {"name", "address"}},
        )

    @property
    def phone_digits(self) -> frozenset[str]:
        return frozenset(digits(p) for p in (*self.phones, *self.fax) if len(digits(p)) >= 7)

    @property
    def email_set(self) -> frozenset[str]:
        return frozenset(e.strip().lower() for e in self.emails)

    @property
    def domains(self) -> frozenset[str]:
        sites = [_domain(s) for s in self.websites if not s.strip().startswith("@")]
        mail = [e.split("@")[-1] for e in self.email_set]
        return frozenset(d for d in (*sites, *mail) if d)

    @property
    def handles(self) -> frozenset[str]:
        return frozenset(s.strip().lower() for s in self.websites if s.strip().startswith("@"))

    @property
    def known_words(self) -> frozenset[str]:
        """Lower-case words of staff, public names and the practice's name: not a patient's."""
        return frozenset(_words((*self.staff, *self.public_names, self.name)))

    @property
    def phrases(self) -> tuple[str, ...]:
        """Whole phrases to mask before screening: the name, the address and its street part."""
        out = [self.name, self.address, *self.staff, *self.public_names]
        if self.address:
            out.append(self.address.split(",")[0])
            out.append(re.sub(r"\bAve\b\.?", "Avenue", self.address.split(",")[0]))
        return tuple(sorted((p for p in out if p.strip()), key=len, reverse=True))

    def owns_link(self, url: str) -> bool:
        """The practice's own page on a network: one of its websites, or a path of its handle."""
        link = _domain(url) + "/" + _path(url)
        own = {_domain(w) + "/" + _path(w) for w in self.websites if not w.startswith("@")}
        handles = {h.lstrip("@") for h in self.handles}
        return link.rstrip("/") in {o.rstrip("/") for o in own} or _path(url) in handles

    def city_words(self) -> frozenset[str]:
        parts = self.address.split(",")[1:2]
        return frozenset(_words(parts))


def _words(texts: Iterable[str]) -> list[str]:
    out: list[str] = []
    for text in texts:
        out.extend(w.lower() for w in _WORD.findall(text) if w.lower().rstrip(".") not in _TITLES)
    return out
