"""Child processes that never outlive jpllmkg: on Linux the kernel sends them SIGKILL when
jpllmkg dies, whatever killed it (``PR_SET_PDEATHSIG``)."""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from collections.abc import Callable

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
