"""Answer small bounded queries in the front process, from its read-only open of the newest checkpoint.

Measured on a 1M-quad store (README, architecture notes): a one-resource lookup or `ASK {}` sent
to a worker process spends most of its time on the two hops between processes (pickling the job,
waking the worker, the answer back through a pipe), which on a busy machine means waiting for the
scheduler twice. The engine's own work is a fraction of a millisecond. So a query whose algebra
is proven bounded (`kg.sparql.bounded`) runs here, in the request's own thread: pyoxigraph
releases the GIL while it reads, the time limit is checked at every piece of the answer written,
and the checkpoint it reads is the same newest one a worker would read, so read-your-writes and
monotonic reads hold across both paths. An answer longer than one chunk stops being written at
once and the query goes to a worker, where it can stream and be killed.
"""

from __future__ import annotations

import traceback
from functools import partial

import pyoxigraph as ox

from kg.errors import KgError
from kg.sparql.bounded import bounded
from kg.sparql.protocol import QueryRequest, execute
from kg.sparql.stream import AnswerTooLong, Budget, write_held
from kg.store.checkpoints import Checkpoint, Checkpoints


class FrontAnswers:
    """Run bounded queries over the checkpoints' front reader; everything else is left to workers."""

    def __init__(self, checkpoints: Checkpoints) -> None:
        if not checkpoints.read_here:
            raise ValueError("the checkpoints must be opened in this process (read_here=True)")
        self.checkpoints = checkpoints
        self.answered = 0  # queries answered here (for benchmarks and tests)
        self.handed_on = 0  # bounded queries whose answer was too long to hold, sent to a worker

    def try_answer(self, request: QueryRequest, fmt: ox.RdfFormat | ox.QueryResultsFormat,
                   budget: Budget) -> bytes | None:
        """The whole answer, or None when the query is for a worker (not bounded, or its answer is long).

        Errors (a syntax error, the time or size limit) are raised as they would be by a worker.
        """
        if bounded(request.query) is None:
            return None
        checkpoint = self.checkpoints.acquire()
        try:
            answer = self._run(checkpoint, request, fmt, budget)
        finally:
            self.checkpoints.release(checkpoint)
        if answer is None:
            self.handed_on += 1
        else:
            self.answered += 1
        return answer

    def _run(self, checkpoint: Checkpoint, request: QueryRequest, fmt: ox.RdfFormat | ox.QueryResultsFormat,
             budget: Budget) -> bytes | None:
        store = self.checkpoints.reader(checkpoint)
        try:
            return write_held(partial(execute, store, request), fmt, budget)
        except AnswerTooLong:
            return None
        except OSError as exc:  # the engine's I/O errors, named as a worker names them
            traceback.clear_frames(exc.__traceback__)
            raise KgError(f"the query failed reading the store: {exc}") from None
        except BaseException as exc:
            # results hold the checkpoint's store open: free them before the checkpoint is released
            traceback.clear_frames(exc.__traceback__)
            raise
        finally:
            del store
