"""Run the embedded engines' queries in a forked worker process that is killed at the deadline.

Neither engine can be stopped from inside: pyoxigraph's ``Store.query`` has no timeout and
computes a whole ORDER BY, GROUP BY or join before it yields the first solution (it releases
the GIL, but a thread cannot be killed), and rdflib's engine is plain Python with no deadline.
A process can be killed. Forking for every query costs about 4.5 ms on the real graph, 25 times
the 0.2 ms a saved query takes, so each engine forks one worker at its first query and keeps
it: a query then costs one round trip over a pipe (well under a millisecond). At the deadline
(or on Ctrl-C) the worker is killed with SIGKILL and the next query forks a new one; the
worker also dies with its parent (``PR_SET_PDEATHSIG`` on Linux, and end of file on its
request pipe everywhere). The worker holds a copy-on-write snapshot of the graph taken at its
fork; the graph of a loaded project is never changed afterwards.

Where ``os.fork`` does not exist (Windows) the query runs in the calling process, with the row
cap but without the timeout.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import struct
import time
import weakref
from collections.abc import Callable

from jpllmkg.errors import JpllmkgError, QueryFailedError
from jpllmkg.shared import die_with_this_process

HEADER = struct.Struct("!Q")
_OPEN_FDS: set[int] = set()  # the parent's ends of every worker's pipes (closed in a new worker)


class QueryTimeout(QueryFailedError):
    """A query ran past its deadline and was stopped."""


class WorkerLost(QueryFailedError):
    """The worker process ended without answering (killed, or out of memory)."""


class QueryWorker:
    """Runs ``evaluate(*job)`` in a child process; :meth:`run` waits at most ``timeout``."""

    def __init__(self, evaluate: Callable) -> None:
        self.evaluate = evaluate
        self.child: tuple[int, int, int] | None = None  # pid, request fd, answer fd
        self._finalizer: weakref.finalize | None = None

    def run(self, job: tuple, timeout: float):
        """The value of ``evaluate(*job)``; its error is raised here; QueryTimeout at the
        deadline (the worker is then killed)."""
        if not hasattr(os, "fork"):
            return self.evaluate(*job)
        if self.child is None:
            self._start()
        _, requests, answers = self.child
        deadline = time.monotonic() + timeout
        try:
            _send(requests, pickle.dumps(job))
            status, value = pickle.loads(_receive(answers, deadline))
        except (EOFError, BrokenPipeError):
            self.stop()
            raise WorkerLost("the worker process ended without an answer") from None
        except BaseException:  # a timeout or Ctrl-C: never leave the worker running
            self.stop()
            raise
        if status == "error":
            raise value
        return value

    def _start(self) -> None:
        stays_alive = die_with_this_process()
        request_read, request_write = os.pipe()
        answer_read, answer_write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker: serve jobs until the parent goes away, never return
            try:
                for fd in (request_write, answer_read, *_OPEN_FDS):
                    os.close(fd)
                _serve(self.evaluate, request_read, answer_write, stays_alive)
            finally:
                os._exit(0)
        os.close(request_read)
        os.close(answer_write)
        self.child = (pid, request_write, answer_read)
        _OPEN_FDS.update(self.child[1:])
        self._finalizer = weakref.finalize(self, _stop, self.child)

    def stop(self) -> None:
        """Kill the worker now (the next query starts a new one)."""
        if self._finalizer is not None:
            self._finalizer()
        self.child = self._finalizer = None


def _stop(child: tuple[int, int, int]) -> None:
    pid, requests, answers = child
    for fd in (requests, answers):
        _OPEN_FDS.discard(fd)
        os.close(fd)
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


def _serve(
    evaluate: Callable, requests: int, answers: int, stays_alive: Callable[[], bool]
) -> None:
    """The worker's loop: one job in, one ("ok", value) or ("error", exception) out."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    if not stays_alive():  # the parent died before the death signal was set
        return
    while True:
        try:
            job = pickle.loads(_receive(requests, None))
        except EOFError:
            return
        try:
            answer = ("ok", evaluate(*job))
        except JpllmkgError as error:
            answer = ("error", error)
        except Exception as error:  # the engines turn their own errors into JpllmkgErrors
            answer = ("error", QueryFailedError(f"the query failed: {error}."))
        _send(answers, pickle.dumps(answer))


def _send(fd: int, data: bytes) -> None:
    view = memoryview(HEADER.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view) :]


def _receive(fd: int, deadline: float | None) -> bytes:
    """One framed message from ``fd``; EOFError if it closes, QueryTimeout past ``deadline``."""
    header = _read_exactly(fd, HEADER.size, deadline)
    return _read_exactly(fd, HEADER.unpack(header)[0], deadline)


def _read_exactly(fd: int, size: int, deadline: float | None) -> bytes:
    chunks, left = [], size
    while left:
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                raise QueryTimeout("the query did not finish in time")
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise EOFError("the query worker closed its pipe")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
