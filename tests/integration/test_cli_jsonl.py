"""`strikebot classify` and `replay` read the same input: --help describes its fields, and a bad
line gets the same {"id", "error"} answer from both while the good lines are still answered."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BAD_LINES = [
    "this is not json",
    "[1, 2]",
    '{"id": 7}',
    '{"id": 8, "title": 5}',
    '{"id": {"x": 1}, "title": "t", "published": "2025-04-04T16:02:00Z"}',
    '{"id": 9, "title": "t", "published": "yesterday"}',
]
GOOD = json.dumps(
    {"id": "ok", "title": "Drone hits a school in Sumy", "published": "2025-04-04T16:02:00Z"}
)


def strikebot(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STRIKEBOT_")}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin, capture_output=True, text=True, env=env, timeout=120, cwd=ROOT,
    )  # fmt: skip


@pytest.mark.parametrize("verb", ["classify", "replay"])
def test_help_describes_the_input_fields(verb: str) -> None:
    result = strikebot(verb, "--help")
    assert result.returncode == 0
    for field in ("id", "title", "text", "lang", "published", '"error"'):
        assert field in result.stdout, field
    if verb == "replay":
        assert "source" in result.stdout and "event_id" in result.stdout


def test_a_bad_line_gets_the_same_answer_from_both() -> None:
    stdin = "\n".join([*BAD_LINES, GOOD]) + "\n"
    answers = {}
    for verb in ("classify", "replay"):
        result = strikebot(verb, stdin=stdin)
        assert result.returncode == 0, result.stderr
        answers[verb] = [json.loads(line) for line in result.stdout.splitlines()]
    assert answers["classify"][: len(BAD_LINES)] == answers["replay"][: len(BAD_LINES)]
    for answer in answers["classify"][: len(BAD_LINES)]:
        assert set(answer) == {"id", "error"} and answer["error"]
    assert [a["id"] for a in answers["classify"][: len(BAD_LINES)]] == [None, None, 7, 8, None, 9]
    assert answers["classify"][-1]["id"] == answers["replay"][-1]["id"] == "ok"
    assert "is_civilian_strike" in answers["replay"][-1]
