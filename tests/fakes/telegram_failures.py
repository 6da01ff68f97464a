"""Failures the fake Bot API injects: the next ``n`` calls (of one method, or of any method but
``getUpdates``) fail with a status, optionally after letting ``after`` matching calls through."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class FailRule:
    remaining: int
    status: int
    method: str | None
    after: int = 0  # matching calls to let through first
    description: str | None = None  # Telegram's text for the failure (default: the status')


def matches(rule_method: str | None, method: str) -> bool:
    """A named method matches itself; ``None`` matches every method except ``getUpdates``."""
    return method == rule_method if rule_method else method != "getUpdates"


class FailRules:
    def __init__(self) -> None:
        self.rules: list[FailRule] = []

    def add(
        self, n: int, status: int, method: str | None, after: int = 0, description: str = ""
    ) -> None:
        self.rules.append(FailRule(n, status, method, after, description or None))

    def clear(self) -> None:
        self.rules.clear()

    def status_for(self, method: str) -> int | None:
        """The status this call of ``method`` fails with, or None (the rule is used up)."""
        rule = self.rule_for(method)
        return None if rule is None else rule.status

    def rule_for(self, method: str) -> FailRule | None:
        """The rule this call of ``method`` fails by, or None (each use counts down)."""
        for rule in self.rules:
            if rule.remaining > 0 and matches(rule.method, method):
                if rule.after > 0:
                    rule.after -= 1
                    continue
                rule.remaining -= 1
                return rule
        return None
