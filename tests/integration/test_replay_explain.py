"""`strikebot replay` through the real store: the place index is symmetric, and `--explain`
says which events each report was compared with and why it joined or not.

The three reports (written for this test) describe one strike: one names no place, one only the
country, one the city. Whatever order they arrive in, one alert goes out.
"""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime, timedelta

import pytest

from bot.classify import Classifier, load_classifier
from bot.cluster.cluster import ClusterConfig
from bot.replay import replay
from tests.integration.test_cli import strikebot

T0 = datetime(2026, 5, 1, 6, tzinfo=UTC)
REPORTS = {
    "nowhere": (
        "Missile strike hits crowded market, 3 killed",
        "A Russian missile struck a crowded market and a bus depot, killing 3 people "
        "and injuring 9.",
    ),
    "country": (
        "Ukraine: missile strike hits crowded market, 3 killed",
        "A Russian missile struck a crowded market and a bus depot in Ukraine, killing 3 "
        "people and injuring 9.",
    ),
    "city": (
        "Missile strike hits crowded market in Dnipro, 3 killed",
        "A Russian missile struck a crowded market and a bus depot in Dnipro, killing 3 "
        "people and injuring 9.",
    ),
}


def lines(order: tuple[str, ...]) -> list[str]:
    return [
        json.dumps(
            {
                "id": key,
                "lang": "en",
                "title": REPORTS[key][0],
                "text": REPORTS[key][1],
                "published": (T0 + timedelta(hours=n)).isoformat(),
                "source": f"Outlet {n}",
            }
        )
        for n, key in enumerate(order)
    ]


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return load_classifier()


@pytest.mark.parametrize("order", list(itertools.permutations(REPORTS)))
async def test_no_place_country_and_city_reports_meet_in_any_order(
    classifier: Classifier, order: tuple[str, ...]
) -> None:
    records = await replay(lines(order), classifier, ClusterConfig())
    assert [r["change"] for r in records].count("new") == 1, records
    assert len({r["event_id"] for r in records}) == 1
    assert all("explain" not in r for r in records)


async def test_explain_names_each_candidate_and_the_evidence(classifier: Classifier) -> None:
    records = await replay(lines(("city", "nowhere")), classifier, ClusterConfig(), explain=True)
    first, second = records
    assert first["explain"]["candidates"] == []
    assert first["explain"]["places"] and first["explain"]["weapons"] == ["missile"]
    [candidate] = second["explain"]["candidates"]
    assert candidate["event"] == first["event_id"] and candidate["joined"] is True
    assert candidate["score"] >= ClusterConfig().join_score
    assert [line.split(":")[0] for line in candidate["evidence"]] == [
        "place",
        "time",
        "weapon",
        "content",
    ]


def test_replay_explain_on_the_command_line() -> None:
    result = strikebot("replay", "--explain", stdin="\n".join(lines(("city", "country"))) + "\n")
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert out[1]["change"] == "duplicate"
    assert out[1]["explain"]["candidates"][0]["joined"] is True
    assert "--explain" in strikebot("replay", "--help").stdout
