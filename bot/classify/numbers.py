"""Casualty figures: who was killed or injured, how many, and how many of them children.

Rules (see ../shared/data/README.md): the number must be stated ("at least 4" → 4, "more than 20"
→ 20 plus a *more* flag, "a dozen" → 12); vague amounts ("dozens", "several") give ``None``; a
combined figure ("killing and wounding 30") gives ``None`` for both; a singular ("a man was
killed", "загинула жінка", "є загиблий") gives 1; "no casualties" gives 0. Several statements of
the same figure (a toll rising in one text) are merged by taking the highest, never by adding.
Casualties described as soldiers/fighters are counted apart and never as civilian impact.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.classify.tokens import STOPS, Token
from bot.classify.tolls import Figure, plus_one, read_tolls

KILL = ("kill", "kill1")
INJURE = ("injure", "injure1")
_PERCENT_OR_UNIT = (
    "%",
    "-р",
    "-л",
    "-y",
    "-m",
    "-k",
    "м ",
    "км",
    " км",
    " km",
    " m ",
    "-st",
    "-fl",
    "-по",
    "-эт",
    "-ти",
)  # percentages, units, ages, "10-storey", "9-поверховий", "5-этажный"
_NO_NUMBER = -1  # a vague amount: the figure is unknown
_RELEVANT = frozenset({*KILL, *INJURE, "toll", "none_hurt", "none_killed", "none_injured"})


@dataclass(frozen=True, slots=True)
class Casualties:
    killed: Figure | None = None
    injured: Figure | None = None
    children_killed: int | None = None
    children_injured: int | None = None
    civilian: bool = False  # people hurt who are not described as combatants
    military: bool = False  # combatants hurt
    update: bool = False  # a toll update ("the death toll rose to 18") was read


def _category(token: Token) -> str | None:
    if token.kind is None and token.has("toll"):
        return "kill"  # a bare "toll"
    return token.kind


class _Reader:
    def __init__(self, tokens: list[Token], numbers: dict[str, int], norm: str):
        self.t = tokens
        self.numbers = numbers
        self.norm = norm
        # Every token's number, read once: most words are none, which a set test tells.
        self.values: list[int | None] = [
            self._value(i)
            if tok.text[:1].isdecimal() or tok.text in numbers or "-" in tok.text or "," in tok.text
            else None
            for i, tok in enumerate(tokens)
        ]
        self.mil = [i for i, tok in enumerate(tokens) if "mil" in tok.tags]
        self.civ = [i for i, tok in enumerate(tokens) if "civ" in tok.tags] if self.mil else []

    def _value(self, i: int) -> int | None:
        """The number a single token stands for (``a``/``one`` only before a person noun)."""
        tok = self.t[i]
        if tok.text.isdecimal():
            after = self.norm[tok.end : tok.end + 3]
            if after.startswith(_PERCENT_OR_UNIT) or self._is_age_or_date(i):
                return None
            digits = int(tok.text)
            return None if 1900 <= digits <= 2100 else digits
        text = tok.text.replace(",", "")
        parts = text.split("-")
        if len(parts) == 2 and all(p in self.numbers for p in parts):
            return self.numbers[parts[0]] + self.numbers[parts[1]]
        n = self.numbers.get(text)
        if n is None or self._is_age_or_date(i):
            return None
        if n == 1 and text in ("a", "an"):
            nxt = self.t[i + 1] if i + 1 < len(self.t) else None
            if nxt is None or not (nxt.has("person1") or nxt.has("child1") or nxt.text == "dozen"):
                return None
        return n

    def _is_age_or_date(self, i: int) -> bool:
        for tok in self.t[i + 1 : i + 3]:
            if tok.has("age") or any(tag.startswith("month:") for tag in tok.tags):
                return True
            if tok.text not in ("-",):
                break
        return False

    def figure(self, i: int) -> Figure | None:
        """The number phrase around token ``i`` ("one dozen", "двадцять одна", "more than 50")."""
        values = self.values
        if values[i] is None:
            return None
        lo = i
        while lo > 0 and values[lo - 1] is not None and self.t[lo - 1].text not in ("a", "an"):
            lo -= 1
        hi = i
        while hi + 1 < len(values) and values[hi + 1] is not None:
            hi += 1
        total = 0
        for j in range(lo, hi + 1):
            v = values[j] or 0
            total = max(total, 1) * v if v in (12, 100, 1000) and total else total + v
        more = any("more" in tok.tags for tok in self.t[max(0, lo - 3) : lo])
        return Figure(total, more)

    def scan(self, k: int, step: int, limit: int, person_is_one: bool) -> tuple[int, Figure | None]:
        """Walk from keyword ``k``: (distance, figure) of the first number, or a vague stop."""
        j = k + step
        steps = 0
        fallback: tuple[int, Figure | None] = (99, None)
        while 0 <= j < len(self.t) and steps < limit:
            tok = self.t[j]
            if tok.text in STOPS or (step > 0 and tok.text == ","):
                break
            tags = tok.tags
            if tags and (_category(tok) is not None or "conj" in tags or "including" in tags):
                break
            if "vague" in tags:
                return (steps, Figure(_NO_NUMBER))
            if self.values[j] is not None:
                return (steps, self.figure(j))
            if person_is_one and "person1" in tags and fallback[0] == 99:
                fallback = (steps, Figure(1))
            j += step
            steps += 1
        return fallback

    def is_military(self, k: int) -> bool:
        """A casualty keyword with soldiers and no civilians within four words of it."""
        if not any(k - 4 <= i <= k + 4 for i in self.mil):
            return False
        return not any(k - 4 <= i <= k + 4 for i in self.civ)


def _best(a: Figure | None, b: Figure | None) -> Figure | None:
    if a is None or a.value == _NO_NUMBER:
        return b
    if b is None or b.value == _NO_NUMBER:
        return a
    return a if a.value >= b.value else b


def extract(tokens: list[Token], numbers: dict[str, int], norm: str, tags: set[str]) -> Casualties:
    """Read killed/injured/children figures from tagged tokens (``tags``: all tags present)."""
    found: dict[str, Figure | None] = {"kill": None, "injure": None}
    if not tags & _RELEVANT:
        return Casualties()
    reader = _Reader(tokens, numbers, norm)
    singular = {"kill": False, "injure": False}
    civilian = military = update = False
    if "toll" in tags:
        for toll in read_tolls(tokens, reader.figure):
            if reader.is_military(toll.subject):
                military = True
                continue
            civilian = update = True
            found[toll.kind] = _best(found[toll.kind], toll.figure)
    for k, tok in enumerate(tokens):
        cat = tok.kind
        if cat is None:
            continue
        if reader.is_military(k):
            military = True
            continue
        civilian = True
        if tok.has(f"{cat}1"):
            singular[cat] = True
        if _combined(tokens, k):
            continue
        left = reader.scan(k, -1, 8, person_is_one=True)
        right = reader.scan(k, +1, 5, person_is_one=True)
        dist, fig = left if left[0] <= right[0] else right
        if fig is not None and dist == left[0] and fig.value > 0:
            fig = plus_one(tokens, reader.values, k - 1 - dist, fig)
        if fig is not None and dist < 99:
            found[cat] = _best(found[cat], fig)
    killed, injured = (_final(found[c], singular[c]) for c in ("kill", "injure"))
    if civilian and not update and _nobody_hurt(tokens, tags, reader, killed, injured):
        civilian = False  # "травмованих немає": a word for the injured is not an injury
    if "none_hurt" in tags:
        killed = killed or Figure(0)
        injured = injured or Figure(0)
    if "none_killed" in tags:
        killed = killed or Figure(0)
    if "none_injured" in tags:
        injured = injured or Figure(0)
    kids = _children(reader) if "child" in tags else {"kill": None, "injure": None}
    return Casualties(killed, injured, kids["kill"], kids["injure"], civilian, military, update)


_NONE = {"none_hurt": ("kill", "injure"), "none_killed": ("kill",), "none_injured": ("injure",)}


def _nobody_hurt(
    tokens: list[Token], tags: set[str], reader: _Reader, *figures: Figure | None
) -> bool:
    """True when the text says nobody was hurt and states no one who was: every civilian
    casualty word it holds is of a kind a "no one hurt/killed/injured" phrase covers."""
    if any(f is not None and f.value > 0 for f in figures):
        return False
    covered = {kind for tag, kinds in _NONE.items() if tag in tags for kind in kinds}
    if not covered:
        return False
    return all(
        tok.kind in covered
        for k, tok in enumerate(tokens)
        if tok.kind is not None and not reader.is_military(k)
    )


def _final(fig: Figure | None, singular: bool) -> Figure | None:
    if fig is not None and fig.value != _NO_NUMBER:
        return fig
    return Figure(1) if singular and fig is None else None


def _combined(tokens: list[Token], k: int) -> bool:
    """ "killing and wounding", "убиты и ранены": one figure for both, so none for either."""
    cat = _category(tokens[k])
    for a, b in ((k + 1, k + 2), (k - 1, k - 2)):
        if 0 <= b < len(tokens) and tokens[a].has("conj"):
            other = _category(tokens[b])
            if other is not None and other != cat:
                return True
    return False


_CLAUSE_MARKS = frozenset({",", ";", ":", "(", ")", "—", "–"})


def _children(reader: _Reader) -> dict[str, int | None]:
    out: dict[str, int | None] = {"kill": None, "injure": None}
    tokens = reader.t
    for i, tok in enumerate(tokens):
        if "child" not in tok.tags:
            continue
        count: int | None = None
        for j in range(i - 1, max(-1, i - 4), -1):
            # "killed 9, including children": the 9 is everyone, the children are not counted
            if tokens[j].is_stop or tokens[j].has("vague") or tokens[j].has("including"):
                break
            if tokens[j].text in _CLAUSE_MARKS:
                break
            fig = reader.figure(j)
            if fig is not None:
                count = fig.value
                break
        if count is None and tok.has("child1"):
            count = 1
        if count is None:
            continue
        cat = _nearest_category(tokens, i)
        if cat is not None:
            prev = out[cat]
            out[cat] = count if prev is None else max(prev, count)
    return out


def _nearest_category(tokens: list[Token], i: int) -> str | None:
    # "…has risen to 18, including nine children": the figure that "including" refers to may
    # follow a long subject, so look back to the start of the sentence.
    reach = 40 if any(t.has("including") for t in tokens[max(0, i - 4) : i]) else 12
    for j in range(i - 1, max(-1, i - reach), -1):
        if tokens[j].text in (".", "!", "?", "|", ";"):
            break
        cat = _category(tokens[j])
        if cat is not None:
            return cat
    for j in range(i + 1, min(len(tokens), i + 6)):
        if tokens[j].is_stop:
            break
        cat = _category(tokens[j])
        if cat is not None:
            return cat
    return None
