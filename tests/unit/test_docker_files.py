"""The Docker build as an operator relies on it: a pinned base image, a build context without
local state, and docs that name the environment the image uses."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_base_image_is_pinned() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    default = re.search(r"^ARG PYTHON_IMAGE=(\S+)$", dockerfile, re.M)
    assert default is not None
    assert re.fullmatch(r"python:3\.\d+\.\d+-slim-[a-z]+(@sha256:[0-9a-f]{64})?", default.group(1))
    assert all(line.split()[1].startswith("${PYTHON_IMAGE}")
               for line in dockerfile.splitlines() if line.startswith("FROM "))  # fmt: skip


def test_the_build_context_leaves_local_state_out() -> None:
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".git", ".venv", ".ci-venv", "*.sqlite3", "*.sqlite3-*"} <= ignored


def test_the_docs_name_the_listen_variable_and_the_backup_verb() -> None:
    readme, operating = (ROOT / "README.md").read_text(), (ROOT / "docs/operating.md").read_text()
    for text in (readme, operating):
        assert "STRIKEBOT_SERVER_LISTEN" in text and "db backup" in text
    assert "STRIKEBOT_SERVER_LISTEN" in (ROOT / "Dockerfile").read_text()
