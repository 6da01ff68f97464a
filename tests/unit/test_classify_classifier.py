"""The scored model end to end, with the project's own sentences and a tiny fake gazetteer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import ClassVar

import pytest

from bot.classify import Classifier
from bot.classify.text import detect_language
from bot.domain import Place, Report, Weapon

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
KRYVYI_RIH = Place("UA", "UA-12", "UA-12:1", "Kryvyi Rih", region_en="Dnipropetrovsk oblast")
KHARKIV = Place("UA", "UA-63", "UA-63:2", "Kharkiv", region_en="Kharkiv oblast")
TINY = Place("UA", "UA-46", "UA-46:3", "Petrenky", region_en="Lviv oblast")
RUSSIA = Place("RU", name_en="Russia")
BELGOROD = Place("RU", "RU-BEL", "RU-BEL:4", "Belgorod", region_en="Belgorod oblast")


@dataclass(frozen=True)
class Match:
    place: Place
    start: int
    end: int
    kind: str
    population: int


class FakeGazetteer:
    NAMES: ClassVar[dict[str, tuple[Place, str, int]]] = {
        "Kryvyi Rih": (KRYVYI_RIH, "settlement", 600_000),
        "Кривому Розі": (KRYVYI_RIH, "settlement", 600_000),
        "Kharkiv": (KHARKIV, "settlement", 1_400_000),
        "Харкові": (KHARKIV, "settlement", 1_400_000),
        "Petrenko": (TINY, "settlement", 300),
        "Russia": (RUSSIA, "country", 0),
        "Белгороде": (BELGOROD, "settlement", 300_000),
    }

    def find_places(self, text: str) -> list[Match]:
        found = []
        for name, (place, kind, population) in self.NAMES.items():
            start = text.find(name)
            if start != -1:
                found.append(Match(place, start, start + len(name), kind, population))
        return sorted(found, key=lambda m: m.start)


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return Classifier(FakeGazetteer())


def classify(clf: Classifier, text: str, title: str = "", lang: str | None = None) -> Report:
    return clf.classify(title, text, lang, NOW, NOW)


POSITIVE = [
    "A ballistic missile struck a five-storey apartment block in Kryvyi Rih, killing 9 people.",
    "Уночі дрони атакували Харків: пошкоджено школу та приватні будинки, поранено трьох людей.",
    "Российский беспилотник попал в жилой дом в Белгороде, пострадали двое мирных жителей.",
    "Shelling damaged the city hospital and a kindergarten on Tuesday.",
    "Damaged pharmacy and shops in the town centre.",
    "Russian drones hit a power substation in Kharkiv overnight, leaving thousands without power.",
]
NEGATIVE = [
    "Air defence shot down 40 drones over central regions overnight, officials said.",
    "Dock workers went on strike over pay in Rotterdam.",
    "The two companies hope to strike a deal on grain exports next week.",
    "Lightning struck a church tower during the storm; nobody was hurt.",
    "Ukrainian drones struck an oil refinery in Russia's Belgorod region, causing a fire.",
    "The court sentenced a man who guided a missile strike on an airfield to twelve years.",
    "A roadside bomb killed three people near the market.",
    "Missiles were fired at an air base; the military says the damage is being assessed.",
    "A chemical plant exploded on Friday morning, injuring six workers.",
    "Exactly one year ago a missile hit the railway station; residents laid flowers today.",
    "Gunmen stormed a college campus and shot at students.",
    "Kharkiv marked the anniversary of the strike on the market with a minute of silence.",
]


@pytest.mark.parametrize("text", POSITIVE)
def test_positive_texts_are_civilian_strikes(clf: Classifier, text: str) -> None:
    report = classify(clf, text)
    assert report.is_civilian_strike, report.reasons
    assert 0.5 <= report.score <= 1.0


@pytest.mark.parametrize("text", NEGATIVE)
def test_negative_contexts_are_rejected(clf: Classifier, text: str) -> None:
    report = classify(clf, text)
    assert not report.is_civilian_strike, report.reasons


def test_extracts_place_weapon_toll_and_reasons(clf: Classifier) -> None:
    report = classify(clf, POSITIVE[0])
    assert report.places[0] == KRYVYI_RIH
    assert report.weapon is Weapon.BALLISTIC_MISSILE
    assert report.killed == 9
    assert "residential" in report.objects
    assert "weapon:ballistic missile" in report.reasons
    assert "place:Kryvyi Rih" in report.reasons


def test_country_as_actor_is_not_the_location(clf: Classifier) -> None:
    report = classify(clf, "Russia launched missiles at Kharkiv, damaging a school.")
    assert report.places[0] == KHARKIV


def test_surname_like_village_gives_way_to_a_city(clf: Classifier) -> None:
    text = "Mayor Petrenko said a missile hit houses in Kharkiv."
    assert classify(clf, text).places[0] == KHARKIV


def test_threshold_is_a_parameter() -> None:
    strict = Classifier(FakeGazetteer(), threshold=0.999)
    report = strict.classify("", POSITIVE[3], None, NOW, NOW)
    assert not report.is_civilian_strike
    assert report.score > 0.5


def test_old_events_are_marked_and_rejected(clf: Classifier) -> None:
    report = clf.classify("", "On 4 January a drone hit a school in Kharkiv.", "en", NOW, NOW)
    assert report.is_old
    assert not report.is_civilian_strike


def test_time_cue_sets_event_time(clf: Classifier) -> None:
    report = classify(clf, "Вчора ввечері ракета влучила в житловий будинок у Кривому Розі.")
    assert report.event_time == datetime(2026, 3, 9, 17, 0, tzinfo=UTC)  # 19:00 in Kyiv
    assert report.places[0] == KRYVYI_RIH


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Удар по Києву, є поранені", "uk"),
        ("Удар по Киеву, есть раненые", "ru"),
        ("Strike on Kyiv", "en"),
    ],
)
def test_language_detection(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_empty_input_is_not_a_strike(clf: Classifier) -> None:
    report = clf.classify("", "", None, None, NOW)
    assert not report.is_civilian_strike
    assert report.places == ()
