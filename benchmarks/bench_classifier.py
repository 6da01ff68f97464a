"""Classifier throughput on one core: short leads and article-length texts, reported apart.

    python benchmarks/bench_classifier.py [--items 20000] [--strike-share 0.2] [--seed 7]
                                          [--repeat 5] [--sizes short,2,5] [--no-lang]

The items are generated from the project's own sentence templates (en/uk/ru), mostly ordinary
news (economy, politics, sport, weather, culture, crime, interceptions, labour strikes) and a
share of strike reports, as a live feed mixes them:

* ``short``: a headline plus a lead of about 300 characters;
* ``2`` / ``5``: articles of about 2 KB / 5 KB of UTF-8 — headline, lead paragraph, then body
  paragraphs mixing detail, background ("Recall…", totals since 2022) and page furniture.

For each size: the median of ``--repeat`` runs (items/s, µs per item, ms per KB). CPU time of
this process (``time.process_time``) is measured, so other load on the machine counts less.
Gazetteer and lexicon loading is reported separately and not counted.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.classify import Classifier, load_classifier  # noqa: E402

TARGET = 5_000  # items per second on one core
# Per language: (headlines, lead sentences) for ordinary news, then for strike reports.
NEWS: dict[str, tuple[list[str], list[str]]] = {
    "en": (
        [
            "Central bank keeps interest rate unchanged at {n}%",
            "Parliament passes budget amendments after long debate",
            "{city} council approves new tram line to the airport",
            "Grain exports rise for the third month in a row",
            "National team wins friendly 2-1 ahead of qualifiers",
            "Heavy snow expected in western regions this weekend",
            "Air defence shot down {n} drones overnight, air force says",
            "Dock workers go on strike over pay in {city}",
        ],
        [
            "The decision was announced on Thursday after a meeting of the board.",
            "Analysts had expected the move and said inflation is slowing down.",
            "The minister told reporters that talks with partners would continue next week.",
            "Local businesses welcomed the plan, though some residents raised concerns.",
            "The festival will open on Friday with a concert in the main square of {city}.",
            "Tickets sold out within hours, organisers said.",
            "Police said a man was detained after a fight outside a bar in {city}.",
            "The company reported a {n} percent rise in quarterly revenue.",
            "Forecasters warned drivers to avoid unnecessary trips.",
            "The union said the walkout would last until an agreement on wages is reached.",
            "Doctors advised people to get vaccinated before the flu season.",
        ],
    ),
    "uk": (
        [
            "НБУ зберіг облікову ставку на рівні {n}%",
            "Верховна Рада ухвалила зміни до бюджету",
            "У {city_uk} відкрили новий міст через річку",
            "Збірна України виграла товариський матч",
            "Синоптики прогнозують сильні снігопади на вихідних",
            "Сили ППО збили {n} дронів над областю",
            "Уряд продовжив програму підтримки фермерів",
        ],
        [
            "Про це повідомили у пресслужбі міської ради у четвер.",
            "Експерти очікують, що інфляція сповільниться до кінця року.",
            "Міністр зазначив, що переговори з партнерами тривають.",
            "Місцеві підприємці підтримали ідею, але мешканці скаржаться на шум.",
            "Фестиваль відкриється у п'ятницю концертом на центральній площі.",
            "Квитки розкупили за кілька годин, кажуть організатори.",
            "Поліція затримала чоловіка після бійки біля кафе.",
            "Компанія повідомила про зростання виручки на {n} відсотків.",
            "Водіїв закликають утриматися від поїздок без потреби.",
        ],
    ),
    "ru": (
        [
            "Центробанк сохранил ключевую ставку на уровне {n}%",
            "Госдума приняла поправки к бюджету",
            "В {city_ru} открыли новую станцию метро",
            "Сборная выиграла товарищеский матч со счетом 2:1",
            "Синоптики обещают сильный снегопад в выходные",
            "Над регионом сбили {n} беспилотников, сообщили в Минобороны",
        ],
        [
            "Об этом сообщили в пресс-службе городской администрации в четверг.",
            "Аналитики ожидают замедления инфляции к концу года.",
            "Министр отметил, что переговоры с партнерами продолжаются.",
            "Местные предприниматели поддержали идею, однако жители жалуются на шум.",
            "Фестиваль откроется в пятницу концертом на центральной площади.",
            "Билеты раскупили за несколько часов, говорят организаторы.",
            "Полиция задержала мужчину после драки возле кафе.",
            "Компания сообщила о росте выручки на {n} процентов.",
        ],
    ),
}
STRIKES: dict[str, tuple[list[str], list[str]]] = {
    "en": (
        [
            "Russian missile strike on {city} kills {n}, injures {m}",
            "Drone attack damages apartment block in {city}",
            "Death toll from strike on {city} rises to {n}",
            "Glide bomb hits {city}, {m} injured",
        ],
        [
            "A missile hit a residential building in {city} overnight, the governor said.",
            "At least {n} people were killed and {m} injured, including two children.",
            "Rescuers are searching the rubble for survivors.",
            "Windows were blown out in a nearby school and several cars burned.",
            "The strike also damaged a power substation, leaving parts of the city without power.",
        ],
    ),
    "uk": (
        [
            "Ракетний удар по {city_uk}: загинули {n} людей",
            "Дрони атакували {city_uk}, пошкоджено житловий будинок",
            "Кількість загиблих внаслідок удару по {city_uk} зросла до {n}",
        ],
        [
            "Уночі російська ракета влучила у багатоповерхівку, повідомив голова ОВА.",
            "Загинули {n} людей, ще {m} поранені, серед них дитина.",
            "Рятувальники розбирають завали, на місці працюють медики.",
            "Також пошкоджено школу, магазин і кілька автомобілів.",
        ],
    ),
    "ru": (
        [
            "Ракетный удар по {city_ru}: погибли {n} человек",
            "Беспилотники атаковали {city_ru}, поврежден жилой дом",
        ],
        [
            "Ночью ракета попала в многоэтажный дом, сообщил губернатор.",
            "Погибли {n} человек, еще {m} ранены, среди них ребенок.",
            "Спасатели разбирают завалы, на месте работают медики.",
        ],
    ),
}
#: Article bodies: background and furniture, our own words.
BACKGROUND: dict[str, list[str]] = {
    "en": [
        "Recall that two days earlier a drone attack on {city} killed {m} people.",
        "Since February 2022, thousands of civilians have been killed, the UN says.",
        "Prosecutors have opened an investigation, and officials condemned the attack.",
        "ADVERTISEMENT - CONTINUE READING BELOW",
        "Read also: Court jails a man who helped to aim missiles",
    ],
    "uk": [
        "Нагадаємо, минулого тижня внаслідок обстрілу {city_uk} загинули {m} людей.",
        "Від початку повномасштабного вторгнення загинули тисячі цивільних.",
        "Слідчі відкрили кримінальне провадження, президент засудив атаку.",
        "Читайте також: Суд засудив коригувальника",
        "Підписуйтесь на наш Telegram-канал",
    ],
    "ru": [
        "Напомним, ранее в этом месяце в результате удара погибли {m} человек.",
        "С начала полномасштабного вторжения погибли тысячи мирных жителей.",
        "Следователи открыли уголовное дело, президент осудил атаку.",
        "Читайте также: Суд вынес приговор корректировщику",
        "Подписывайтесь на наш канал",
    ],
}
CITIES = [
    ("Kharkiv", "Харкові", "Харькове"),
    ("Dnipro", "Дніпрі", "Днепре"),
    ("Odesa", "Одесі", "Одессе"),
    ("Zaporizhzhia", "Запоріжжі", "Запорожье"),
]


def make_items(
    n: int, strike_share: float, seed: int, kb: float = 0.0
) -> list[tuple[str, str, str]]:
    """``n`` (title, text, lang) items; about ``strike_share`` of them strike reports. ``kb`` 0:
    a ~300-character lead; else an article of about ``kb`` KB of UTF-8 in paragraphs."""
    rng = random.Random(seed)
    items = []
    for _ in range(n):
        lang = rng.choice(("en", "en", "uk", "uk", "ru"))
        heads, leads = (STRIKES if rng.random() < strike_share else NEWS)[lang]
        city, city_uk, city_ru = rng.choice(CITIES)
        fill = {
            "city": city,
            "city_uk": city_uk,
            "city_ru": city_ru,
            "n": rng.randint(2, 40),
            "m": rng.randint(2, 60),
        }
        text = ""
        while len(text) < 300:
            text += rng.choice(leads).format(**fill) + " "
        if kb:
            paragraphs = [text.strip()]
            body = NEWS[lang][1] + leads + BACKGROUND[lang]
            size = len(text.encode())
            while size < kb * 1024:
                para = " ".join(rng.choice(body).format(**fill) for _ in range(rng.randint(1, 3)))
                paragraphs.append(para)
                size += len(para.encode()) + 1
            text = "\n".join(paragraphs)
        items.append((rng.choice(heads).format(**fill), text.strip(), lang))
    return items


def measure(
    classifier: Classifier, items: list[tuple[str, str, str]], repeat: int, no_lang: bool
) -> tuple[float, int]:
    """Median CPU seconds of ``repeat`` runs over ``items``, and how many were flagged."""
    now = datetime.now(UTC)
    for title, text, lang in items[: min(500, len(items))]:  # warm-up
        classifier.classify(title, text, None if no_lang else lang, None, now)
    runs = []
    positives = 0
    for _ in range(max(1, repeat)):
        positives = 0
        started = time.process_time()
        for title, text, lang in items:
            report = classifier.classify(title, text, None if no_lang else lang, None, now)
            positives += report.is_civilian_strike
        runs.append(time.process_time() - started)
    return statistics.median(runs), positives


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=20_000, help="short leads; articles: 1/10")
    parser.add_argument("--strike-share", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=5, help="runs; the median is reported")
    parser.add_argument("--sizes", default="short,2,5", help="short and/or article sizes in KB")
    parser.add_argument("--no-lang", action="store_true", help="make the classifier detect it")
    args = parser.parse_args()
    started = time.process_time()
    classifier = load_classifier()
    print(f"load: {time.process_time() - started:.2f} s CPU (gazetteer + lexicons)")
    for size in args.sizes.split(","):
        kb = 0.0 if size == "short" else float(size)
        n = args.items if not kb else max(200, args.items // 10)
        items = make_items(n, args.strike_share, args.seed, kb)
        seconds, positives = measure(classifier, items, args.repeat, args.no_lang)
        total_kb = sum(len(t.encode()) + len(x.encode()) for t, x, _ in items) / 1024
        label = "short leads" if not kb else f"{kb:g} KB articles"
        target = f"; target ≥ {TARGET:,}/s" if not kb else ""
        print(
            f"{label:>16}: {n / seconds:,.0f} items/s, {seconds / n * 1e6:,.0f} µs per item, "
            f"{seconds * 1000 / total_kb:.2f} ms per KB (median of {args.repeat}; "
            f"{total_kb / n:.2f} KB/item, {positives / n:.0%} flagged{target})"
        )


if __name__ == "__main__":
    main()
