"""Gazetteer load time, memory and find_places speed; prints the figures.

    python benchmarks/bench_gazetteer.py [--items N]

Texts for the speed figure are generated here (no third-party text): news-like sentences of
~300 characters in en/uk/ru that name a few places among ordinary words.
"""

from __future__ import annotations

import argparse
import gc
import pathlib
import random
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from bot.geo import load_gazetteer

FILLER = {
    "en": [
        "Russian",
        "forces",
        "struck",
        "the",
        "city",
        "overnight",
        "with",
        "drones",
        "and",
        "missiles,",
        "officials",
        "said,",
        "damaging",
        "homes,",
        "a",
        "school",
        "and",
        "power",
        "lines;",
        "rescuers",
        "worked",
        "through",
        "the",
        "morning",
        "while",
        "the",
        "regional",
        "governor",
        "reported",
        "casualties",
        "and",
        "urged",
        "residents",
        "to",
        "stay",
        "in",
        "shelters",
    ],
    "uk": [
        "Вночі",
        "російські",
        "війська",
        "атакували",
        "місто",
        "дронами",
        "та",
        "ракетами,",
        "повідомили",
        "в",
        "обласній",
        "військовій",
        "адміністрації;",
        "пошкоджено",
        "житлові",
        "будинки,",
        "школу",
        "та",
        "лінії",
        "електропередачі,",
        "рятувальники",
        "працюють",
        "на",
        "місці,",
        "є",
        "загиблі",
        "та",
        "поранені",
        "серед",
        "мирних",
        "мешканців",
    ],
    "ru": [
        "Ночью",
        "российские",
        "войска",
        "атаковали",
        "город",
        "беспилотниками",
        "и",
        "ракетами,",
        "сообщили",
        "местные",
        "власти;",
        "повреждены",
        "жилые",
        "дома,",
        "школа",
        "и",
        "линии",
        "электропередачи,",
        "спасатели",
        "работают",
        "на",
        "месте,",
        "есть",
        "погибшие",
        "и",
        "раненые",
        "среди",
        "мирных",
        "жителей",
    ],
}
PLACES = {
    "en": ["Kharkiv", "Kryvyi Rih", "Odesa region", "Kupiansk", "Zaporizhzhia", "Belgorod"],
    "uk": ["Харкові", "Кривому Розі", "Одещині", "Куп'янську", "Запоріжжі", "Сумській області"],
    "ru": ["Харькове", "Кривом Роге", "Одесской области", "Купянске", "Запорожье", "Белгороде"],
}


def sample_texts(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for n in range(count):
        lang = ("en", "uk", "ru")[n % 3]
        words = rng.sample(FILLER[lang], k=min(40, len(FILLER[lang])))
        for place in rng.sample(PLACES[lang], k=2):
            words.insert(rng.randrange(len(words)), place)
        texts.append(" ".join(words)[:300])
    return texts


def rss_mb(field: str) -> float:
    for line in pathlib.Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=20_000)
    args = parser.parse_args()
    base = rss_mb("VmRSS")
    started = time.perf_counter()
    gazetteer = load_gazetteer()
    load = time.perf_counter() - started
    gc.collect()
    print(
        f"load_gazetteer: {load:.2f} s; RSS {rss_mb('VmRSS'):.0f} MB "
        f"(+{rss_mb('VmRSS') - base:.0f} MB, peak {rss_mb('VmHWM'):.0f} MB)"
    )
    texts = sample_texts(args.items)
    started = time.perf_counter()
    found = sum(len(gazetteer.find_places(text)) for text in texts)
    per_item = (time.perf_counter() - started) / len(texts) * 1e6
    mean_len = sum(map(len, texts)) / len(texts)
    print(
        f"find_places: {per_item:.1f} µs/item ({mean_len:.0f} chars, {found / len(texts):.1f} "
        f"places/item, {1e6 / per_item:,.0f} items/s)"
    )
    started = time.perf_counter()
    for query in ("Kharkov", "Харкив", "Dnipropetrovsk", "Kryvyi Rih", "Белгород", "Gaza"):
        gazetteer.search(query)
    print(
        f"search: {(time.perf_counter() - started) / 6 * 1e3:.1f} ms/query (first includes setup)"
    )


if __name__ == "__main__":
    main()
