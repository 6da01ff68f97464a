"""One line about the machine a benchmark ran on (cores, CPU model, load), for its report."""

from __future__ import annotations

import os
import platform
from pathlib import Path


def describe() -> str:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(errors="replace").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return (
        f"{os.cpu_count()} cores {model or platform.machine()}; load average {load}; "
        f"Python {platform.python_version()}"
    )
