"""Cost of the gettext catalogs: first use (read and compile the uk and ru ``.po`` files) and
one alert rendered in Ukrainian and in English (a dozen message look-ups each), as medians of
seven runs of 20,000 renders.

    /work/venv/bin/python benchmarks/bench_i18n.py
"""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.domain import Event, Place, Severity, Source, Weapon

RUNS = 7
RENDERS = 20_000
WHEN = datetime(2025, 4, 4, 16, 2, tzinfo=UTC)
PLACE = Place(
    "UA", "UA-12", "UA-12:1", "Kryvyi Rih", "Кривий Ріг", "Кривой Рог",
    "Dnipropetrovsk oblast", "Дніпропетровська область", "Днепропетровская область",
)  # fmt: skip
EVENT = Event(
    id="ev_bench", version=1, places=(PLACE,), event_time=WHEN, first_seen=WHEN, last_seen=WHEN,
    weapon=Weapon.BALLISTIC_MISSILE, killed=14, children_killed=6, injured=50, injured_more=True,
    objects=("residential",), severity=Severity.CRITICAL,
    sources=tuple(Source(f"Outlet {i}", f"https://outlet{i}.example/a") for i in range(5)),
)  # fmt: skip


def main() -> None:
    started = time.perf_counter()
    from bot.i18n import t

    t("uk", "help"), t("ru", "help")
    first = (time.perf_counter() - started) * 1e3
    print(f"import + first use of the uk and ru catalogs: {first:.0f} ms")
    from bot.notify.render import render_alert

    zone = ZoneInfo("Europe/Kyiv")
    for lang in ("uk", "en"):
        render_alert(EVENT, lang, zone)
        runs = []
        for _ in range(RUNS):
            start = time.perf_counter()
            for _ in range(RENDERS):
                render_alert(EVENT, lang, zone)
            runs.append((time.perf_counter() - start) / RENDERS * 1e6)
        print(f"render_alert {lang}: median {statistics.median(runs):.1f} µs of {RUNS} runs")


if __name__ == "__main__":
    main()
