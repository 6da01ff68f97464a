"""Whole articles: the main event in the headline and lead, not every word of the text.

Every article here is written for this test (en, uk, ru): a strike report followed by
background (an earlier strike with another toll, a trial, reactions, totals since 2022) and page
furniture; and mirror articles that mention strikes but report none (a trial, a compensation
guide, an anniversary, a refinery fire in Russia, an interception).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.classify import Classifier, load_classifier
from bot.classify.structure import read_structure
from bot.classify.text import detect_language, join_title, normalise
from bot.domain import Weapon

PUBLISHED = datetime(2026, 5, 14, 18, 0, tzinfo=UTC)  # a Thursday, 21:00 in Kyiv

EN_STRIKE = (
    "Russian missile strike on Odesa kills 7, injures 23",
    "A Russian missile hit a residential building in Odesa on Thursday evening, killing seven "
    "people and injuring 23, the regional governor said.\n\n"
    "Rescuers were still searching the rubble late at night. Prosecutors have opened an "
    "investigation into the attack, and police say they suspect a ballistic missile was used.\n\n"
    "ADVERTISEMENT - CONTINUE READING BELOW\n\n"
    "The foreign minister condemned the strike and called on partners to impose new sanctions.\n\n"
    "Two days earlier, a drone attack on the city's port killed three people and injured 40.\n\n"
    "Since February 2022, more than 12,000 civilians have been killed across the country, "
    "according to UN statistics.\n\n"
    "Read also: Court jails a man for helping to aim missiles at the city",
)
UK_STRIKE = (
    "Удар дронів по Харкову: загинули четверо людей",
    "Увечері російські ударні дрони влучили в житловий будинок у Харкові. Загинули четверо "
    "людей, ще 15 поранені, повідомив міський голова.\n\n"
    "Читайте також: Суд засудив коригувальника до 15 років ув'язнення\n\n"
    "Слідчі відкрили кримінальне провадження. Президент засудив атаку і закликав партнерів "
    "посилити ППО.\n\n"
    "Нагадаємо, минулого тижня внаслідок обстрілу Харкова загинули 9 людей, ще 60 поранені.\n\n"
    "Підписуйтесь на наш Telegram-канал",
)
RU_STRIKE = (
    "Ракетный удар по Днепру: погибли пять человек",
    "Днем российская ракета попала в многоэтажный дом в Днепре. Погибли пять человек, еще 18 "
    "ранены, сообщил глава областной военной администрации.\n\n"
    "Напомним, ранее в этом месяце в результате удара по городу погибли 11 человек.\n\n"
    "С начала полномасштабного вторжения в области погибли более 1500 мирных жителей.\n\n"
    "Подписывайтесь на наш канал",
)

MIRRORS = {
    "trial": (
        "Court sentences officer who ordered the shelling of a hospital",
        "A court in Kyiv sentenced a Russian officer to 12 years in prison on Tuesday for "
        "ordering the shelling of a hospital in 2022, in which four patients were killed.\n\n"
        "Prosecutors said the verdict was the first of its kind. The officer was tried in "
        "absentia.",
    ),
    "compensation guide": (
        "Ваше житло пошкоджено внаслідок обстрілу? Інструкція, як отримати компенсацію",
        "Пояснюємо, що робити, якщо ваш будинок зруйновано або пошкоджено внаслідок удару. "
        "Спершу подайте повідомлення про пошкоджене майно через застосунок.\n\n"
        "Після огляду комісія ухвалює рішення про компенсацію.",
    ),
    "anniversary": (
        "Рік тому ракета влучила в будинок у Дніпрі: місто вшанувало загиблих",
        "Рік тому російська ракета зруйнувала під'їзд багатоповерхівки в Дніпрі, тоді загинули "
        "46 людей. Сьогодні мешканці поклали квіти до меморіалу і вшанували пам'ять загиблих "
        "хвилиною мовчання.",
    ),
    "refinery": (
        "Drone attack sparks fire at oil refinery in Russia's Krasnodar region",
        "A Ukrainian drone attack caused a fire at an oil refinery in Russia's Krasnodar region "
        "overnight, the regional governor said. No one was hurt, and the fire was put out by "
        "the morning.\n\nThe refinery processes about 6 million tonnes of oil a year.",
    ),
    "interception": (
        "Над областю ночью сбили 12 беспилотников",
        "Силы ПВО ночью сбили 12 беспилотников над областью, сообщил губернатор. Пострадавших "
        "нет, разрушений не зафиксировано.",
    ),
}


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return load_classifier()


@pytest.mark.parametrize("lang", [None, "en", "uk", "ru"])  # the declared one only breaks ties
def test_an_english_article_reports_its_main_strike(clf: Classifier, lang: str | None) -> None:
    report = clf.classify(*EN_STRIKE, lang, PUBLISHED, PUBLISHED)
    assert report.is_civilian_strike, report.reasons
    assert report.places[0].name_en == "Odesa"
    assert (report.killed, report.injured) == (7, 23)  # not the port's 3/40, nor the UN's 12,000
    assert not report.is_old


def test_a_ukrainian_article_reports_its_main_strike(clf: Classifier) -> None:
    report = clf.classify(*UK_STRIKE, "en", PUBLISHED, PUBLISHED)
    assert report.is_civilian_strike, report.reasons
    assert report.places[0].name_en == "Kharkiv"
    assert (report.killed, report.injured) == (4, 15)  # not last week's 9/60
    assert report.weapon is Weapon.DRONE
    # "четверо" (four) is no Thursday; "увечері" is the evening in Kyiv: 19:00 = 16:00 UTC
    assert report.event_time == datetime(2026, 5, 14, 16, 0, tzinfo=UTC)


def test_a_russian_article_reports_its_main_strike(clf: Classifier) -> None:
    report = clf.classify(*RU_STRIKE, "en", PUBLISHED, PUBLISHED)
    assert report.is_civilian_strike, report.reasons
    assert report.places[0].name_en == "Dnipro"
    assert (report.killed, report.injured) == (5, 18)  # not the 11 earlier, nor the 1,500 total


@pytest.mark.parametrize("kind", list(MIRRORS))
def test_articles_that_mention_strikes_but_report_none(clf: Classifier, kind: str) -> None:
    title, text = MIRRORS[kind]
    report = clf.classify(title, text, None, PUBLISHED, PUBLISHED)
    assert not report.is_civilian_strike, (kind, report.score, report.reasons)


def test_a_body_investigation_does_not_veto_a_plain_headline(clf: Classifier) -> None:
    report = clf.classify(*EN_STRIKE, None, PUBLISHED, PUBLISHED)
    penalties = [r for r in report.reasons if r.startswith(("neg:", "topic:"))]
    assert report.score > 0.8, (report.score, penalties)


def test_furniture_and_background_are_blanked_in_place() -> None:
    doc = join_title(*EN_STRIKE)
    shape = read_structure(doc, normalise(doc), len(EN_STRIKE[0]))
    assert len(shape.main) == len(doc)  # offsets stay valid
    assert "ADVERTISEMENT" not in shape.main and "Read also" not in shape.main
    assert "Two days earlier" not in shape.main and "Since February 2022" not in shape.main
    assert "Prosecutors have opened an investigation" in shape.main  # body, kept
    assert shape.in_head(0) and shape.in_head(2)


def test_a_recall_paragraph_is_background_to_its_end() -> None:
    doc = "Удар по місту.\nНагадаємо, вчора ракета влучила в школу. Тоді загинули 5 людей.\nКінець."
    shape = read_structure(doc, normalise(doc))
    assert "школу" not in shape.main and "5 людей" not in shape.main
    assert "Кінець." in shape.main


def test_live_updates_give_the_latest_toll(clf: Classifier) -> None:
    text = (
        "A Russian missile struck an apartment block in Zaporizhzhia overnight, killing 9 "
        "people, officials said.\n\nUPDATE: The death toll has risen to 12, the governor said."
    )
    report = clf.classify(
        "Missile hits apartment block in Zaporizhzhia", text, None, PUBLISHED, PUBLISHED
    )
    assert report.is_civilian_strike and report.killed == 12


def test_reporting_time_is_not_the_strike_time(clf: Classifier) -> None:
    text = (
        "Уночі російська ракета влучила в житловий будинок у Полтаві. Станом на ранок 14 "
        "травня відомо про трьох загиблих."
    )
    report = clf.classify("", text, None, PUBLISHED, PUBLISHED)
    assert report.event_time == datetime(2026, 5, 13, 21, 0, tzinfo=UTC)  # 00:00 in Kyiv


def test_said_on_monday_dates_the_statement_not_the_strike(clf: Classifier) -> None:
    text = (
        "A drone hit a school in Sumy overnight, injuring four people, the governor said on Monday."
    )
    report = clf.classify("", text, None, PUBLISHED, PUBLISHED)
    assert report.event_time == datetime(2026, 5, 13, 21, 0, tzinfo=UTC)  # last night, not Monday


def test_a_weekday_with_a_part_of_the_day(clf: Classifier) -> None:
    text = "On Tuesday evening a Russian drone hit a house in Kharkiv, injuring two people."
    report = clf.classify("", text, None, PUBLISHED, PUBLISHED)
    assert report.event_time == datetime(2026, 5, 12, 16, 0, tzinfo=UTC)  # 19:00 Kyiv, Tuesday


def test_missiles_and_drones_are_both_kept(clf: Classifier) -> None:
    text = (
        "Russia attacked Lviv overnight with missiles and drones: a cruise missile hit a "
        "residential building and a drone struck a warehouse, killing two people."
    )
    report = clf.classify("", text, None, PUBLISHED, PUBLISHED)
    assert report.is_civilian_strike
    assert set(report.weapons) == {Weapon.CRUISE_MISSILE, Weapon.DRONE}
    assert report.weapons[0] is report.weapon is Weapon.CRUISE_MISSILE
    assert "weapons:missiles and drones" in report.reasons


@pytest.mark.parametrize(
    ("text", "hint", "lang"),
    [
        ("Обстріл Херсона: є загиблі", None, "uk"),
        ("Обстрел Херсона: есть погибшие", None, "ru"),
        ("Обстріл Херсона: є загиблі", "ru", "uk"),  # the letters decide, not the feed
        ("Обстрел Херсона: есть погибшие", "uk", "ru"),
        ("Дрони атакують Суми", "uk", "uk"),  # nothing tells: the feed's language breaks the tie
        ("Дрони атакують Суми", "ru", "ru"),
        ("Ракета попала в дом, погибли люди и что-то еще", "uk", "ru"),  # "и", "что": Russian
        ("Drones attack Sumy", "uk", "en"),
    ],
)
def test_language_comes_from_the_text(text: str, hint: str | None, lang: str) -> None:
    assert detect_language(text, hint) == lang


def test_a_drone_strike_by_a_militia_is_no_labour_strike(clf: Classifier) -> None:
    text = (
        "Twelve market traders died on Friday in El Fasher in a drone strike by a paramilitary "
        "group, volunteers there said.\n\n"
        "Monitors have counted more than 300 dead in the region in the same period."
    )
    report = clf.classify("", text, None, PUBLISHED, PUBLISHED)
    assert report.is_civilian_strike, report.reasons
    assert report.killed == 12  # the period's tally is background


def test_why_names_where_the_strike_was_read_and_what_was_skipped(clf: Classifier) -> None:
    report = clf.classify(*EN_STRIKE, None, PUBLISHED, PUBLISHED)
    assert "read:headline+lead" in report.reasons
    assert "skipped:background×2" in report.reasons  # two days earlier; since February 2022
    assert "skipped:furniture×2" in report.reasons  # the advertisement and "Read also"


@pytest.mark.parametrize(
    ("title", "text", "strike"),
    [
        # The recall restates this very strike: the update is a strike report.
        (
            "У Дніпрі кількість загиблих зросла до 40",
            "Нагадаємо, у суботу російська ракета влучила в багатоповерхівку на лівому березі "
            "міста.",
            True,
        ),
        (
            "Death toll in Dnipro rises to 40",
            "Rescuers pulled more bodies from the rubble overnight.\n\nRecall that on Saturday a "
            "Russian missile hit a nine-storey apartment block in the city.",
            True,
        ),
        # The recall is about another city, or another week: the toll names no strike.
        (
            "У Дніпрі кількість загиблих зросла до 40",
            "Нагадаємо, у суботу ракета влучила в будинок у Києві.",
            False,
        ),
        (
            "В Днепре число погибших выросло до 40",
            "Напомним, на прошлой неделе ракета попала в дом на окраине города.",
            False,
        ),
    ],
)
def test_a_toll_update_reads_the_strike_from_a_recall_of_the_same_event(
    clf: Classifier, title: str, text: str, strike: bool
) -> None:
    report = clf.classify(title, text, None, PUBLISHED, PUBLISHED)
    assert report.is_civilian_strike is strike, report.reasons
    assert report.killed == 40 and report.places[0].name_en == "Dnipro"


@pytest.mark.parametrize(
    "dateline",
    ["KYIV, Ukraine (AP) — ", "KYIV (Reuters) - ", "KYIV, May 14 (Reuters) - ", "KYIV: "],
)
def test_a_wire_dateline_is_where_the_reporter_was(clf: Classifier, dateline: str) -> None:
    text = (
        f"{dateline}A Russian ballistic missile struck a residential area of Sumy on Thursday, "
        "killing nine people, officials said.\n\n"
        "The president said in Kyiv that the attack showed Moscow had no interest in peace."
    )
    report = clf.classify("Missile strike on Sumy kills 9", text, None, PUBLISHED, PUBLISHED)
    assert report.is_civilian_strike
    # Kyiv's subscribers are not alerted: neither the dateline nor a speech there is the strike.
    assert [p.name_en for p in report.places] == ["Sumy"]


def test_a_strike_on_two_cities_alerts_both(clf: Classifier) -> None:
    text = "Russian drones hit Odesa overnight, killing two people, and a missile struck Kharkiv."
    report = clf.classify("Russia strikes Odesa and Kharkiv", text, None, PUBLISHED, PUBLISHED)
    assert [p.name_en for p in report.places][:2] == ["Odesa", "Kharkiv"]
