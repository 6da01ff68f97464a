"""Per-chat pacing of replies: a private chat gets a burst of three, then one a second; a group
twenty a minute; chats do not slow each other down."""

from __future__ import annotations

from bot.notify.chat_pace import ChatPace


def test_private_chat_burst_then_one_a_second() -> None:
    pace = ChatPace()
    waits = [pace.reserve(1, 100.0) for _ in range(6)]
    assert waits[:3] == [0.0, 0.0, 0.0]
    assert [round(w) for w in waits[3:]] == [1, 2, 3]
    assert pace.reserve(2, 100.0) == 0.0  # another chat is not held up


def test_group_twenty_a_minute() -> None:
    pace = ChatPace()
    waits = [pace.reserve(-5, 10.0) for _ in range(21)]
    assert waits[:20] == [0.0] * 20
    assert 60.0 <= waits[20] < 61.0
    assert 40.0 <= pace.reserve(-5, 30.0) < 41.0  # the next free slot, not "now"


def test_memory_is_bounded() -> None:
    pace = ChatPace()
    for chat in range(2000):
        pace.reserve(chat, 0.0)
    for chat in range(1000):
        pace.reserve(-chat - 1, 1000.0)  # idle private chats are swept on the way
    assert len(pace) <= 1000
