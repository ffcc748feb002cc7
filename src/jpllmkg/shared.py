"""Helpers every step shares: writing a file atomically, a progress display on stderr, and child
processes that never outlive jpllmkg."""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from jpllmkg.errors import UsageError


def atomic_write(path: str | Path, content: str | bytes) -> None:
    """Write ``content`` (text as UTF-8) to ``path`` through a temporary file in the same folder,
    then rename it into place, so a reader sees the old file or the new one, never half of one.
    The folder is made as needed; a failure is a UsageError naming the file, and leaves no
    temporary file behind."""
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as error:
        raise UsageError(f"cannot write {target}: {error.strerror or error}.") from None
    try:
        os.chmod(temp, 0o666 & ~current_umask())
        with os.fdopen(handle, "wb") as stream:
            stream.write(content.encode("utf-8") if isinstance(content, str) else content)
        os.replace(temp, target)
    except OSError as error:
        Path(temp).unlink(missing_ok=True)
        raise UsageError(f"cannot write {target}: {error.strerror or error}.") from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def current_umask() -> int:
    """The process's file-creation mask (temporary files start private; results should not)."""
    current = os.umask(0)
    os.umask(current)
    return current


class Progress:
    """The steps of a long job on stderr: one line per step (``[n/N] name``); on a terminal the
    current step's item count is redrawn in place and each line ends with the step's time."""

    def __init__(self, total: int, stream: TextIO | None = None, enabled: bool = True) -> None:
        self.total = total
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled
        self.number = 0
        self.name = ""
        self.started = time.monotonic()
        self._step_started = self.started
        self._live = enabled and self.stream.isatty()

    def step(self, name: str) -> None:
        """Start the next step (the previous one is finished)."""
        self._finish_line()
        self.number += 1
        self.name = name
        self._step_started = time.monotonic()
        self._write(f"[{self.number}/{self.total}] {name}", final=not self._live)

    def count(self, done: int, total: int) -> None:
        """Report ``done`` of ``total`` items of the current step (redrawn on a terminal)."""
        if self._live and (done == total or done % 10 == 0):
            self._write(f"[{self.number}/{self.total}] {self.name} {done}/{total}", final=False)

    def note(self, text: str) -> None:
        """A message (e.g. a retry) on a line of its own, between the step lines."""
        self._write(text, final=True)

    def finish(self) -> None:
        """End the display (the current step's line is completed)."""
        self._finish_line()

    def elapsed(self) -> float:
        """Seconds since the display was created."""
        return time.monotonic() - self.started

    def _finish_line(self) -> None:
        if self._live and self.number:
            seconds = time.monotonic() - self._step_started
            self._write(f"[{self.number}/{self.total}] {self.name} ({seconds:.1f} s)", final=True)

    def _write(self, text: str, final: bool) -> None:
        if not self.enabled:
            return
        if self._live:
            self.stream.write("\r\x1b[K" + text + ("\n" if final else ""))
        else:
            self.stream.write(text + "\n")
        self.stream.flush()


PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def die_with_this_process() -> Callable[[], bool]:
    """Made in the parent, called in the child right after the fork: asks for SIGKILL when the
    parent dies, and returns False when the parent is gone already (the child should exit)."""
    parent = os.getpid()
    linux = sys.platform.startswith("linux")
    prctl = ctypes.CDLL(None, use_errno=True).prctl if linux else None  # looked up before forking

    def in_the_child() -> bool:
        if prctl is not None:
            prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        return os.getppid() == parent

    return in_the_child
