"""Run a query under the `query_timeout` and `max_result_bytes` limits, and stream its answer in chunks.

pyoxigraph cannot interrupt a query, and one that sorts, groups or deduplicates computes its
whole result before the first row. So there are two runners:

- `ProcessRunner`, for an on-disk embedded store: the query runs in a worker process over a
  read-only open of the newest checkpoint of the store (`kg.store.checkpoints`: a copy by hard
  links that nobody writes, so the open is defined), and the worker is killed at the deadline.
  Workers are kept and reused. Every write in this process calls `notify_write()`, which returns
  once a checkpoint holds it; a worker opens the newer checkpoint before its next query.
  A query whose algebra is proven bounded by its answer (`kg.sparql.bounded`) is answered first
  in the request's own thread from the front's open of the same checkpoint (`kg.sparql.front`),
  and goes to a worker only if its answer is longer than one chunk: no process hop for the
  lookups and ASKs that are most requests.
- `ThreadRunner`, for the in-memory store (tests) and the remote back end: the query runs in a
  thread. The deadline is checked as the answer is written, and the request answers at the deadline in any
  case, but a query still computing its first row cannot be stopped there: it runs to the end of
  that computation in the background (the remote back end has its own HTTP timeout).

Either way the first `HOLD` bytes are held back before the response starts, so an error there
(a syntax error, the time or size limit) is a proper JSON error with its status. After that the
answer streams; a limit reached then aborts the response, so the client sees an incomplete body
(chunked encoding without its last chunk), never a truncated answer that looks complete.
"""

from __future__ import annotations

import queue
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress

import pyoxigraph as ox

from kg.errors import KgError, QueryTimeout
from kg.sparql import worker
from kg.sparql.front import FrontAnswers
from kg.sparql.protocol import QueryRequest, dataset_kwargs, execute
from kg.sparql.stream import HOLD, Budget, write_chunks
from kg.store import EmbeddedStore, Store
from kg.store.checkpoints import Checkpoint, Checkpoints

CANCEL_GRACE = 1.0  # seconds a worker gets to stop an abandoned answer before it is killed
MAX_JOBS = 500  # queries a worker answers before it is replaced (bounds any growth of its memory)
KEEP_IDLE = 2  # idle workers always kept ready
IDLE_SECONDS = 30.0  # an idle worker beyond those is stopped after this long unused
Frame = tuple  # ("data", bytes) | ("end",) | ("error", KgError)


def answer(frames: Iterator[Frame]) -> Iterator[bytes]:
    """Turn frames into response chunks, raising any error met in the first `HOLD` bytes now."""
    held: list[bytes] = []
    size = 0
    for frame in frames:
        if frame[0] != "data":
            frames.close()  # type: ignore[attr-defined] - give the worker back now, not when collected
            if frame[0] == "error":
                raise frame[1]
            return iter(held)
        held.append(frame[1])
        size += len(frame[1])
        if size >= HOLD:
            break
    return _rest(held, frames)


def _rest(held: list[bytes], frames: Iterator[Frame]) -> Iterator[bytes]:
    try:
        yield from held
        for frame in frames:
            if frame[0] == "error":
                raise frame[1]  # the response is under way: the server aborts the connection
            if frame[0] == "end":
                return
            yield frame[1]
    finally:
        frames.close()  # type: ignore[attr-defined] - give the worker back now, however this ends


class ThreadRunner:
    """Run queries in a thread of this process; see the module docstring for what that bounds."""

    def __init__(self, store: Store, *, timeout: float, max_bytes: int) -> None:
        self.store, self.timeout, self.max_bytes = store, timeout, max_bytes

    def run(self, request: QueryRequest, fmt: ox.RdfFormat, *, spent: float = 0.0) -> Iterator[bytes]:
        """Stream the answer; `spent` is the request's time already used (reading, decoding, guarding)."""
        frames: queue.Queue = queue.Queue(maxsize=8)
        cancelled = threading.Event()
        budget = Budget(seconds=_left(self.timeout, spent), max_bytes=self.max_bytes, limit=self.timeout)

        def put(frame: Frame) -> None:
            while not cancelled.is_set():
                with suppress(queue.Full):
                    frames.put(frame, timeout=0.1)
                    return
            raise _Cancelled

        def produce() -> None:
            try:
                write_chunks(lambda: execute(self.store, request), fmt, budget, lambda b: put(("data", b)))
                put(("end",))
            except _Cancelled:
                return
            except Exception as exc:  # noqa: BLE001 - not handled here: carried to the request thread and re-raised
                # pyoxigraph results must be dropped by the thread that made them: free the frames now
                traceback.clear_frames(exc.__traceback__)
                with suppress(_Cancelled):
                    put(("error", exc))

        threading.Thread(target=produce, name="kg-query", daemon=True).start()
        return answer(_drain(frames, budget, cancelled.set))

    def notify_write(self) -> None:
        """Nothing to do: the thread runner queries the live store."""


class _Cancelled(Exception):
    """The request went away; the producer stops writing."""


def _drain(frames: queue.Queue, budget: Budget, cancel: Callable[[], None]) -> Iterator[Frame]:
    try:
        while True:
            remaining = None if budget.deadline is None else max(budget.deadline - time.monotonic(), 0.0)
            try:
                frame = frames.get(timeout=remaining)
            except queue.Empty:
                frame = ("error", budget.expired())
            yield frame
            if frame[0] != "data":
                return
    finally:
        cancel()


class ProcessRunner:
    """Run queries in worker processes over store checkpoints, killed at the deadline.

    Every slot, worker and checkpoint pin taken for a query is given back on every path: the
    answer's generator gives them back in its `finally`, which runs when the answer ends, fails,
    times out, or is closed because the client went away.
    """

    def __init__(self, checkpoints: Checkpoints, *, timeout: float, max_bytes: int, workers: int,
                 max_jobs: int = MAX_JOBS, idle_seconds: float = IDLE_SECONDS, nice: int = 0) -> None:
        """`max_jobs` and `idle_seconds` bound the pool's memory: see `_give_back`. `nice` lowers the
        workers' CPU priority below this process's, which writes and answers the small queries."""
        self.checkpoints, self.timeout, self.max_bytes, self.nice = checkpoints, timeout, max_bytes, nice
        self.max_jobs, self.idle_seconds = max_jobs, idle_seconds
        self.front = FrontAnswers(checkpoints) if checkpoints.read_here else None
        self._idle: list[worker.Worker] = []
        self._slots = threading.BoundedSemaphore(workers)
        self._lock = threading.Lock()
        self._closed = False
        self.cancelled = 0  # answers stopped early with their worker kept (their client left)
        threading.Thread(target=self._warm, args=(min(2, workers),), name="kg-query-warm-up", daemon=True).start()

    def _warm(self, count: int) -> None:
        """Start a few workers now, so that the first queries after a start do not wait for them."""
        for _ in range(count):
            try:
                proc = worker.Worker.start(nice=self.nice)
            except KgError:
                return  # the first query will start one and report why it cannot
            with self._lock:
                keep = not self._closed
                if keep:
                    self._idle.append(proc)
            if not keep:
                proc.kill()
                return

    def notify_write(self) -> None:
        """The store changed: return once a checkpoint holds the change (read-your-writes)."""
        self.checkpoints.publish()

    def run(self, request: QueryRequest, fmt: ox.RdfFormat, *, spent: float = 0.0) -> Iterable[bytes]:
        """Stream the answer; `spent` is the request's time already used (reading, decoding, guarding).

        A bounded query with a short answer is answered in this thread (`kg.sparql.front`); the
        rest go to a worker, with what is left of the time limit.
        """
        seconds = _left(self.timeout, spent)
        if self.front is not None:
            started = time.monotonic()
            held = self.front.try_answer(request, fmt, Budget(seconds=seconds, max_bytes=self.max_bytes,
                                                               limit=self.timeout))
            if held is not None:
                return [held]  # a sequence: the server sends it with its length
            seconds = _left(self.timeout, spent + time.monotonic() - started)
        # every busy worker ends within the limit (or is killed), so a slot comes free by then,
        # give or take starting a new worker; a wait beyond that means something is wrong
        wait = self.timeout + worker.STARTUP_SECONDS
        if not self._slots.acquire(timeout=wait):
            raise QueryTimeout(f"every query worker stayed busy for {wait:g} s; try again later")
        proc = None
        try:
            checkpoint = self.checkpoints.acquire()
            job = worker.Job.of(checkpoint.path, request.query, dataset_kwargs(request), fmt, seconds,
                                self.max_bytes, limit=self.timeout)
            proc = self._send(job, checkpoint)
        except BaseException:
            self._give_back(proc, reusable=False)
            raise
        # the limit counts from here: waiting for a slot or a checkpoint is not query time
        budget = Budget(seconds=seconds, max_bytes=self.max_bytes, limit=self.timeout)
        return answer(self._frames(proc, budget))

    def _send(self, job: worker.Job, checkpoint: Checkpoint) -> worker.Worker:
        """Hand the job (and the pin on its checkpoint) to a live worker: an idle one, or a new one."""
        try:
            proc = self._take()
        except BaseException:
            self.checkpoints.release(checkpoint)  # no worker took the pin
            raise
        self._pin(proc, checkpoint)
        try:
            proc.send(job)
            return proc
        except OSError:  # it died while idle (killed from outside): replace it once
            self.checkpoints.pin(checkpoint)  # for the new worker: the dead one's pin goes with it
            self._retire(proc)
        try:
            proc = worker.Worker.start(nice=self.nice)
        except BaseException:
            self.checkpoints.release(checkpoint)
            raise
        self._pin(proc, checkpoint)
        try:
            proc.send(job)
        except OSError as exc:
            self._retire(proc)
            raise KgError(f"a new query worker died at once: {exc}") from exc
        return proc

    def _take(self) -> worker.Worker:
        """An idle worker that is still alive, or a new one."""
        while True:
            with self._lock:
                proc = self._idle.pop() if self._idle else None
            if proc is None:
                return worker.Worker.start(nice=self.nice)
            if proc.process.is_alive():
                return proc
            self._retire(proc)

    def _pin(self, proc: worker.Worker, checkpoint: Checkpoint) -> None:
        """Record the checkpoint the worker will have open; unpin the one it had."""
        old, proc.checkpoint = proc.checkpoint, checkpoint
        if old is not None:
            self.checkpoints.release(old)

    def _frames(self, proc: worker.Worker, budget: Budget) -> Iterator[Frame]:
        reusable, frame = False, ("data",)
        try:
            while True:
                frame = proc.receive(budget.deadline)
                if frame is None:
                    frame = ("error", budget.expired())  # the worker is killed: a hard stop
                elif frame[0] == "failed":
                    frame = ("error", frame[1])
                else:
                    reusable = frame[0] != "data"
                yield frame
                if frame[0] != "data":
                    return
        except GeneratorExit:
            if frame[0] == "data":  # the client went away mid-answer: ask the worker to stop, not kill it
                remaining = CANCEL_GRACE if budget.deadline is None else budget.deadline - time.monotonic()
                reusable = remaining > 0 and proc.cancel(min(CANCEL_GRACE, remaining))
                self.cancelled += reusable
            raise
        finally:
            self._give_back(proc, reusable=reusable)

    def _give_back(self, proc: worker.Worker | None, *, reusable: bool) -> None:
        """Return the worker to the pool (or kill it), unpin its checkpoint if killed, free the slot.

        Memory stays bounded: a worker that has answered `max_jobs` queries is replaced (whatever
        its heap and caches grew to goes with it), and workers started for a burst of load are
        stopped once they have been idle `idle_seconds`, down to `KEEP_IDLE` ready ones.
        """
        stale: list[worker.Worker] = []
        try:
            if proc is not None:
                with self._lock:
                    keep = reusable and not self._closed and proc.jobs < self.max_jobs
                    if keep:
                        proc.idle_since = time.monotonic()
                        self._idle.append(proc)
                    stale = self._idle_beyond_need()
                if not keep:
                    self._retire(proc)
        finally:
            self._slots.release()
            for extra in stale:
                self._retire(extra)

    def _idle_beyond_need(self) -> list[worker.Worker]:
        """Take out of the pool the idle workers beyond `KEEP_IDLE` unused for `idle_seconds` (under the lock)."""
        cutoff = time.monotonic() - self.idle_seconds
        stale = [p for p in self._idle[:-KEEP_IDLE] if p.idle_since < cutoff] if len(self._idle) > KEEP_IDLE else []
        for proc in stale:
            self._idle.remove(proc)
        return stale

    def _retire(self, proc: worker.Worker) -> None:
        try:
            proc.kill()
        finally:
            if proc.checkpoint is not None:
                self.checkpoints.release(proc.checkpoint)
                proc.checkpoint = None

    def idle_workers(self) -> int:
        """Workers started and waiting (for tests)."""
        with self._lock:
            return len(self._idle)

    def close(self) -> None:
        """Stop the idle workers and remove the checkpoints."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for proc in idle:
            self._retire(proc)
        self.checkpoints.close()


def _left(timeout: float, spent: float) -> float:
    """What is left of the time limit after the request's own steps; none left is a timeout now."""
    if timeout <= 0:
        return timeout  # no limit
    if spent >= timeout:
        raise QueryTimeout("the request ran past the time limit (query_timeout) before its query started")
    return timeout - spent


def runner_for(store: Store, *, timeout: float, max_bytes: int, workers: int,
               nice: int = 0) -> ThreadRunner | ProcessRunner:
    """A process runner over checkpoints for an on-disk embedded store with a time limit, else a thread runner."""
    path = getattr(store, "path", None)
    if isinstance(store, EmbeddedStore) and path not in (None, ":memory:") and timeout > 0:
        return ProcessRunner(Checkpoints(store, read_here=True), timeout=timeout, max_bytes=max_bytes,
                             workers=workers, nice=nice)
    return ThreadRunner(store, timeout=timeout, max_bytes=max_bytes)


__all__ = ["ProcessRunner", "ThreadRunner", "answer", "runner_for"]
