"""The JSON Lines contract of ``strikebot classify``: never raises, nulls for unknowns."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from bot.classify import Classifier
from bot.classify.jsonl import classify_line
from bot.domain import Place

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
ODESA = Place("UA", "UA-51", "UA-51:9", "Odesa", region_en="Odesa oblast")
KEYS = {
    "id",
    "is_civilian_strike",
    "score",
    "country",
    "region_code",
    "region",
    "place",
    "killed",
    "injured",
    "children_killed",
    "weapon",
    "weapons",
    "reasons",
}


class OneCity:
    def find_places(self, text: str) -> list[object]:
        from dataclasses import make_dataclass

        match = make_dataclass("M", ["place", "start", "end", "kind", "population"])
        start = text.find("Odesa")
        return [] if start < 0 else [match(ODESA, start, start + 5, "settlement", 1_000_000)]


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return Classifier(OneCity())  # type: ignore[arg-type]


def test_good_line(clf: Classifier) -> None:
    line = json.dumps(
        {
            "id": "a1",
            "title": "",
            "published": "2026-03-10T06:00:00Z",
            "text": "A Shahed drone hit a residential building in Odesa, two injured.",
        }
    )
    out = classify_line(clf, line, NOW)
    assert set(out) == KEYS
    assert out["is_civilian_strike"] is True
    assert (out["country"], out["region_code"], out["region"], out["place"]) == (
        "UA",
        "UA-51",
        "Odesa oblast",
        "Odesa",
    )
    assert out["injured"] == 2 and out["killed"] is None
    assert out["weapon"] == "drone"


def test_unknowns_are_null(clf: Classifier) -> None:
    out = classify_line(clf, json.dumps({"id": 7, "text": "Markets were calm today."}), NOW)
    assert out["is_civilian_strike"] is False
    assert out["place"] is None and out["country"] is None and out["weapon"] == "unknown"


@pytest.mark.parametrize(
    ("line", "item_id"),
    [
        ("not json", None),
        ("[1, 2]", None),
        (json.dumps({"id": "b", "text": 5}), "b"),
        (json.dumps({"id": "c", "text": "x", "published": "yesterday"}), "c"),
        (json.dumps({"id": "d", "title": "", "text": ""}), "d"),
        (json.dumps({"id": {"x": 1}, "text": "x"}), None),
        (json.dumps({"id": "e", "text": "x", "lang": 3}), "e"),
    ],
)
def test_bad_lines_give_errors(clf: Classifier, line: str, item_id: object) -> None:
    out = classify_line(clf, line, NOW)
    assert out["id"] == item_id
    assert isinstance(out["error"], str) and out["error"]
