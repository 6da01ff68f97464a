"""Mutation testing by hand: does a test fail when the code it guards is broken?

    python tools/mutation.py bot/notify/plan.py            # one module, its own tests
    python tools/mutation.py bot/ingest/identity.py --tests tests/unit/test_ingest_identity.py
    python tools/mutation.py --list                        # the modules and their tests

mutmut (``pip install -e '.[test]'``) mutates one module at a time in a scratch copy of the
repository (the working tree is never touched), runs only the tests listed for that module
(``MODULES``) so a run takes minutes on a shared 2-core machine, and prints the score and
every surviving mutant with its diff. Put the score in docs/benchmarks.md ("Mutation
testing") and kill each survivor with a test, or say there why it cannot be killed.

Exit status: 0 when the score is at least ``--min-score`` (default 85), else 1.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CLUSTER_TESTS = [
    "tests/unit/test_cluster.py",
    "tests/unit/test_cluster_evidence.py",
    "tests/unit/test_cluster_order.py",
    "tests/unit/test_cluster_days.py",
    "tests/unit/test_cluster_merging.py",
]

# module → the unit tests that exercise it (keep these fast: they run once per mutant)
MODULES: dict[str, list[str]] = {
    "bot/notify/plan.py": ["tests/unit/test_plan.py"],
    "bot/notify/render.py": ["tests/unit/test_render.py", "tests/unit/test_render_exact.py"],
    "bot/ingest/identity.py": ["tests/unit/test_ingest_identity.py"],
    "bot/ingest/schedule.py": ["tests/unit/test_ingest_schedule.py"],
    "bot/cluster/cluster.py": CLUSTER_TESTS,
    "bot/cluster/matching.py": CLUSTER_TESTS,
    "bot/cluster/merge.py": CLUSTER_TESTS,
    "bot/cluster/fingerprint.py": CLUSTER_TESTS,
    # the outbox is exercised through the sender against the fake Bot API (SQLite); these two
    # files cover claim/record/postpone/recover, two senders and the 429 paths
    "bot/store/outbox.py": [
        "tests/integration/sender/test_sender.py",
        "tests/integration/sender/test_sender_promises.py",
    ],
}
COPY = ("bot", "handlers", "tests", "pyproject.toml")
PYTEST_ARGS = ["-p", "no:randomly", "-p", "no:cacheprovider", "-n", "0", "-q", "-x"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("module", nargs="?", help="e.g. bot/notify/plan.py")
    parser.add_argument("--tests", nargs="*", help="test files (default: the module's list)")
    parser.add_argument("--list", action="store_true", help="show the modules and their tests")
    parser.add_argument("--min-score", type=float, default=85.0)
    parser.add_argument("--keep", action="store_true", help="keep the scratch copy")
    parser.add_argument("--json", metavar="PATH", help="also write the result as JSON")
    args = parser.parse_args(argv)
    if args.list or not args.module:
        for name, listed in MODULES.items():
            print(f"{name}: {' '.join(listed)}")
        return 0 if args.list else 2
    module = args.module
    tests: list[str] = args.tests or MODULES.get(module) or []
    if not tests:
        print(f"no tests listed for {module}: pass --tests", file=sys.stderr)
        return 2
    if shutil.which("mutmut") is None:
        print("mutmut is not installed: pip install -e '.[test]'", file=sys.stderr)
        return 2
    scratch = Path(tempfile.mkdtemp(prefix="strikebot-mutation-"))
    started = time.monotonic()
    try:
        result = run(module, tests, scratch)
        result["seconds"] = round(time.monotonic() - started, 1)
    finally:
        if args.keep:
            print(f"scratch copy kept at {scratch}", file=sys.stderr)
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    report(module, result)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    return 0 if result["score"] >= args.min_score else 1


def run(module: str, tests: list[str], scratch: Path) -> dict[str, object]:
    for name in COPY:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(
                source, scratch / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
            )
        else:
            shutil.copy2(source, scratch / name)
    config = _config(module, tests)
    pyproject = scratch / "pyproject.toml"
    text = re.sub(r"(?ms)^\[tool\.mutmut\].*?(?=^\[|\Z)", "", pyproject.read_text())
    pyproject.write_text(text + "\n" + config)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    with open(scratch / "mutmut-run.log", "w") as log:  # its progress bar: not for a terminal
        subprocess.run(["mutmut", "run"], cwd=scratch, env=env, stdout=log, stderr=log, check=False)
    listing = subprocess.run(
        ["mutmut", "results", "--all", "true"],
        cwd=scratch,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    statuses: dict[str, str] = {}
    for line in listing.splitlines():
        name, _, status = line.strip().partition(": ")
        if name and status:
            statuses[name] = status.strip()
    survivors = sorted(n for n, s in statuses.items() if s in ("survived", "no tests"))
    killed = sum(1 for s in statuses.values() if s in ("killed", "timeout", "segfault"))
    counted = sum(1 for s in statuses.values() if s not in ("skipped", "not checked"))
    diffs = {
        name: subprocess.run(
            ["mutmut", "show", name], cwd=scratch, env=env, capture_output=True, text=True
        ).stdout
        for name in survivors
    }
    return {
        "module": module,
        "tests": tests,
        "mutants": counted,
        "killed": killed,
        "score": round(100.0 * killed / counted, 1) if counted else 0.0,
        "survivors": diffs,
        "statuses": dict(sorted(statuses.items())),
    }


def _config(module: str, tests: list[str]) -> str:
    def toml_list(values: list[str]) -> str:
        return "[" + ", ".join(json.dumps(v) for v in values) + "]"

    return (
        "[tool.mutmut]\n"
        f'source_paths = ["{module.split("/")[0]}"]\n'
        f"only_mutate = {toml_list([module])}\n"
        f'also_copy = ["handlers"]\n'
        f"pytest_add_cli_args = {toml_list(PYTEST_ARGS)}\n"
        f"pytest_add_cli_args_test_selection = {toml_list(tests)}\n"
        "use_git_change_detection = false\n"
    )


def report(module: str, result: dict[str, object]) -> None:
    survivors = result["survivors"]
    assert isinstance(survivors, dict)
    print(f"\n{module}: {result['killed']} of {result['mutants']} mutants killed "
          f"({result['score']}%), {len(survivors)} survived, in {result['seconds']} s "
          f"(load {os.getloadavg()[0]:.1f})")  # fmt: skip
    for name, diff in survivors.items():
        print(f"\n--- survivor {name}\n{diff.strip()}")


if __name__ == "__main__":
    raise SystemExit(main())
