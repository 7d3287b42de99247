"""Immutable checkpoints of the on-disk store, for query workers in other processes to read.

pyoxigraph documents a read-only open of a directory another process is writing as undefined
behaviour, so worker processes never open the live store. The writer makes a RocksDB checkpoint
(`Store.backup`: table files hard-linked, the memtable flushed first) into a fresh directory
that nobody writes again, and workers open that read-only, which is defined.

Group commit: `publish()` returns once a checkpoint holds every write that finished before it was
called; writers that call it while a checkpoint is being made share the next one. Checkpoints are
numbered and only ever replaced by newer ones, so an answer never comes from an older state than
one given before (monotonic reads), and a query sent after a write's response reads a checkpoint
made after that write (read-your-writes). A checkpoint's directory is removed once it is neither
the newest nor open in any worker.

The front process reads checkpoints too (`kg.sparql.front` answers small bounded queries itself):
`publish` opens each new checkpoint read-only here before it becomes the newest, so the writer
pays that open (tens of milliseconds at a million quads), never a query; the open is dropped
before its directory is removed.
"""

from __future__ import annotations

import shutil
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KgError
from kg.store.embedded import EmbeddedStore

STALE_SECONDS = 1.0  # how long queries read an older checkpoint after a write that was not published


@dataclass(frozen=True)
class Checkpoint:
    """One published checkpoint: where it is and the store's write generation it includes."""

    number: int
    generation: int
    path: str


class Checkpoints:
    """The checkpoints of one embedded store, kept in `<store>.checkpoints/` beside it."""

    def __init__(self, store: EmbeddedStore, root: Path | None = None, *, read_here: bool = False) -> None:
        """`read_here`: open each checkpoint read-only in this process too, for `reader()`."""
        self.store = store
        self.read_here = read_here
        self._readers: dict[str, ox.Store] = {}  # path -> this process's read-only open of it
        self.root = root if root is not None else Path(f"{store.path.rstrip('/')}.checkpoints")
        shutil.rmtree(self.root, ignore_errors=True)  # left by a process that did not stop cleanly
        self.root.mkdir(parents=True)
        self._making = threading.Lock()  # one checkpoint made at a time
        self._state = threading.Lock()  # guards _current, _pins, _number
        self._pins: Counter[str] = Counter()
        self._number = 0
        self._current: Checkpoint | None = None
        self.made = 0  # checkpoints made so far (for benchmarks and tests)
        self.seconds = 0.0  # time spent making them
        self._behind_since: float | None = None

    def publish(self) -> Checkpoint:
        """Return a checkpoint holding every write finished before this call, making one if needed."""
        wanted = self.store.generation
        with self._making:
            current = self._current
            if current is not None and current.generation >= wanted:
                return current  # made by another writer meanwhile: group commit
            generation = self.store.generation  # read before the copy: every write counted is in it
            with self._state:
                self._number += 1
                number = self._number
            path = self.root / f"{number:010d}"
            started = time.monotonic()
            self.store.inner.backup(str(path))
            made = Checkpoint(number, generation, str(path))
            reader = ox.Store.read_only(made.path) if self.read_here else None  # before anyone can ask for it
            with self._state:
                if reader is not None:
                    self._readers[made.path] = reader
                old, self._current = self._current, made
                self.made += 1
                self.seconds += time.monotonic() - started
                unused = self._take_if_unused(old)
            _remove(unused)
            return made

    def acquire(self) -> Checkpoint:
        """The newest checkpoint, pinned until `release`.

        When the store changed since and no checkpoint is being made, one is made now (a write
        that did not call `publish`); when one is being made, the write it is for is concurrent
        with this query, which may then read either state, so the query does not wait for it.
        """
        current = self._current
        if current is None or self._stale(current):
            self.publish()
        with self._state:
            current = self._current
            if current is None:
                raise KgError("the store's checkpoints were closed (the server is stopping)")
            self._pins[current.path] += 1
            return current

    def _stale(self, current: Checkpoint) -> bool:
        """Whether the store has been ahead of the newest checkpoint for `STALE_SECONDS` with none being made.

        Writers publish their own writes (`publish`); this catches a write that did not, without
        making queries that arrive in the middle of a writer's batch pay for checkpoints.
        """
        if current.generation >= self.store.generation or self._making.locked():
            self._behind_since = None
            return False
        now = time.monotonic()
        if self._behind_since is None:
            self._behind_since = now
        return now - self._behind_since > STALE_SECONDS

    def reader(self, checkpoint: Checkpoint) -> ox.Store:
        """This process's read-only open of a checkpoint the caller has pinned (`read_here` only).

        Drop every reference to it (and to results from it) before `release`, so that the store
        is closed before its directory can be removed.
        """
        with self._state:
            return self._readers[checkpoint.path]

    def pin(self, checkpoint: Checkpoint) -> None:
        """Pin a checkpoint already pinned by the caller once more (to hand it on)."""
        with self._state:
            self._pins[checkpoint.path] += 1

    def release(self, checkpoint: Checkpoint) -> None:
        """Unpin; the directory goes when it is no longer the newest and no worker has it open."""
        with self._state:
            self._pins[checkpoint.path] -= 1
            unused = self._take_if_unused(checkpoint)
        _remove(unused)

    def _take_if_unused(self, checkpoint: Checkpoint | None) -> list | None:
        """Forget a checkpoint nobody uses any more (under `_state`); `_remove` it after letting go of the lock.

        Closing its store and removing its files take milliseconds, and every query takes this
        lock to pin a checkpoint, so that work is not done while holding it.
        """
        if checkpoint is None or checkpoint is self._current or self._pins[checkpoint.path] > 0:
            return None
        del self._pins[checkpoint.path]
        return [checkpoint.path, self._readers.pop(checkpoint.path, None)]

    def on_disk(self) -> list[str]:
        """The checkpoint directories present now (for tests)."""
        return sorted(p.name for p in self.root.iterdir())

    def close(self) -> None:
        """Remove every checkpoint; call after the workers are gone."""
        with self._state:
            self._current = None
            self._pins.clear()
            self._readers.clear()
        shutil.rmtree(self.root, ignore_errors=True)


def _remove(unused: list | None) -> None:
    """Close this process's open of an unused checkpoint, then remove its directory.

    `unused` is `[path, store or None]` holding the last reference to the store: emptying the
    list closes it (unless a caller broke the rule in `Checkpoints.reader`).
    """
    if unused is None:
        return
    path = unused[0]
    unused.clear()
    shutil.rmtree(path, ignore_errors=True)
