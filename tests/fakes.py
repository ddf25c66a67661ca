"""Fakes at the core's outward ports: a clock the test moves, a notifier that records."""

from __future__ import annotations

import threading
from collections import defaultdict
from datetime import UTC, datetime, timedelta

from bot.domain import Content, Post, ThreadRef
from bot.ports import Notice, Published, Publisher, PublishJob, PublishResult


class FixedClock:
    def __init__(self, now: datetime) -> None:
        self._now = now
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, **delta: float) -> None:
        with self._lock:
            self._now += timedelta(**delta)

    def set(self, moment: datetime) -> None:
        with self._lock:
            self._now = moment


class FakeNotifier:
    """Records what each approval thread was told. `down = True` makes every call fail."""

    platform = "console"

    def __init__(self) -> None:
        self.announced: list[int] = []
        self.notices: dict[int, list[Notice]] = defaultdict(list)
        self.down = False
        self._lock = threading.Lock()

    def announce(self, post: Post) -> ThreadRef:
        if self.down:
            raise ConnectionError("chat platform unavailable")
        with self._lock:
            self.announced.append(post.id)
        return ThreadRef(self.platform, "approvals", f"thread-{post.id}")

    def notify(self, notice: Notice) -> None:
        if self.down:
            raise ConnectionError("chat platform unavailable")
        with self._lock:
            self.notices[notice.post.id].append(notice)

    def thread_replies(self, post_id: int) -> list[str]:
        return [n.text for n in self.notices[post_id]]

    def proposer_dms(self, post_id: int) -> list[str]:
        return [n.text for n in self.notices[post_id] if n.tell_proposer]


class FakePublisher:
    """A network that answers from a script: each call pops the next result (Published by
    default). Records every job it was given; `idempotent` says whether it dedupes by key.
    `gate`, when set, makes each call wait for it (to hold a call in flight)."""

    def __init__(
        self,
        network: str = "x",
        results: list[PublishResult | BaseException] | None = None,
        idempotent: bool = False,
    ) -> None:
        self.network = network
        self.idempotent = idempotent
        self.results: list[PublishResult | BaseException] = list(results or [])
        self.jobs: list[PublishJob] = []
        self.called_at: list[datetime] = []  # real time of each call
        self.gate: threading.Event | None = None
        self.started = threading.Event()
        self._lock = threading.Lock()

    def validate(self, channel: str, content: Content) -> list[str]:
        return []

    def publish(self, job: PublishJob) -> PublishResult:
        with self._lock:
            self.jobs.append(job)
            self.called_at.append(datetime.now(UTC))
            result = self.results.pop(0) if self.results else None
        self.started.set()
        if self.gate is not None:
            self.gate.wait(timeout=10)
        if isinstance(result, BaseException):
            raise result
        if result is None:
            n = len(self.jobs)
            return Published(f"{self.network}-{n}", f"https://{self.network}.example/p/{n}")
        return result

    def check(self) -> str:
        return f"@clinic on {self.network}"

    def calls_for(self, post_id: int) -> list[PublishJob]:
        return [j for j in self.jobs if j.post_id == post_id]


class UnscriptedPublisher:
    """Stands in for a channel a test did not script: it checks posts as the real publisher
    does, but any publish is recorded and refused, so `assert_none_published` fails the test
    instead of a real client quietly reporting "settings incomplete"."""

    def __init__(self, channel: str, real: Publisher) -> None:
        self.channel = channel
        self.real = real
        self.network = getattr(real, "network", channel)
        self.jobs: list[PublishJob] = []

    def validate(self, channel: str, content: Content) -> list[str]:
        return self.real.validate(channel, content)

    def publish(self, job: PublishJob) -> PublishResult:
        self.jobs.append(job)
        raise AssertionError(f"{job.channel}: published without a script in this test")

    def check(self) -> str:
        return f"unscripted {self.channel}"


def publish_nothing_unscripted(publishers: dict[str, Publisher]) -> list[UnscriptedPublisher]:
    """Replace every publisher in place (the workflow's channel rules hold the same dict)."""
    loud = [UnscriptedPublisher(name, real) for name, real in publishers.items()]
    publishers.update({p.channel: p for p in loud})
    return loud


def assert_none_published(loud: list[UnscriptedPublisher]) -> None:
    calls = [job.channel for p in loud for job in p.jobs]
    assert not calls, f"published behind the test's back on {calls}"
