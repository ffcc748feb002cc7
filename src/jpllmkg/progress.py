"""A small progress display on stderr: one line per step (``[n/N] name``), counts on a terminal."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Shows the steps of a long job; item counts are redrawn in place only on a terminal."""

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
