"""The vocabulary of strikebot: frozen dataclasses that flow between the stages.

    feeds --fetch--> bytes --parse--> Article --classify--> Report --cluster--> EventChange
          --plan--> Delivery (outbox rows) --send--> Telegram

Standard library only. Every timestamp is timezone-aware UTC.

Places form a hierarchy addressed by stable string codes:

* country:    ISO 3166-1 alpha-2, e.g. ``"UA"``
* region:     ISO 3166-2, e.g. ``"UA-12"`` (Dnipropetrovsk oblast)
* settlement: ``"<region code>:<id>"``, e.g. ``"UA-12:703845"`` (the id is the gazetteer's)

A subscription to a node covers every event at or below it (see :func:`place_path`).
The special code ``"*"`` covers everything.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime

ALL_PLACES = "*"
#: The zone a chat reads times in until it picks its own (/settings), and the one the
#: operator's views (/stats "today", dry-run alerts) use. (notify/compose.py still spells it
#: out; it is being rewritten on another branch.)
DEFAULT_TZ = "Europe/Kyiv"


class Weapon(enum.StrEnum):
    """Weapon classes, from most to least specific (see :data:`WEAPON_SPECIFICITY`)."""

    BALLISTIC_MISSILE = "ballistic missile"
    CRUISE_MISSILE = "cruise missile"
    MISSILE = "missile"
    DRONE = "drone"
    GLIDE_BOMB = "glide bomb"
    AIRSTRIKE = "airstrike"
    ARTILLERY = "artillery"
    MLRS = "MLRS"
    UNKNOWN = "unknown"


#: Higher means more specific; used when merging reports into an event.
WEAPON_SPECIFICITY: dict[Weapon, int] = {
    Weapon.UNKNOWN: 0,
    Weapon.MISSILE: 1,
    Weapon.AIRSTRIKE: 1,
    Weapon.ARTILLERY: 1,
    Weapon.DRONE: 2,
    Weapon.GLIDE_BOMB: 2,
    Weapon.MLRS: 2,
    Weapon.BALLISTIC_MISSILE: 3,
    Weapon.CRUISE_MISSILE: 3,
}


class Severity(enum.IntEnum):
    """What users filter on. Ordered: a user with minimum MEDIUM gets MEDIUM, HIGH, CRITICAL."""

    LOW = 1  # damage without casualties
    MEDIUM = 2  # injured
    HIGH = 3  # killed
    CRITICAL = 4  # mass casualties


class ChangeKind(enum.StrEnum):
    NEW = "new"
    UPDATE = "update"
    DUPLICATE = "duplicate"
    IGNORED = "ignored"


@dataclass(frozen=True, slots=True)
class Article:
    """One new feed item, identity already decided by ingest."""

    key: str  # stable identity: guid, canonical url, or hash (see ingest)
    feed_url: str
    source: str  # outlet name, e.g. "Ukrinform"
    url: str  # link to the item ("" when the item has none)
    title: str
    text: str  # plain text summary
    lang: str  # "uk" | "ru" | "en" | "" (unknown)
    published: datetime
    fetched_at: datetime


@dataclass(frozen=True, slots=True)
class Place:
    """A resolved location. ``settlement_code`` is None when only a region/country is named."""

    country: str  # ISO 3166-1 alpha-2
    region_code: str | None = None  # ISO 3166-2
    settlement_code: str | None = None  # "<region_code>:<id>"
    name_en: str = ""  # display name of the settlement ("" when only a region is named)
    name_uk: str = ""
    name_ru: str = ""
    region_en: str = ""  # display name of the region, e.g. "Dnipropetrovsk oblast"
    region_uk: str = ""  # e.g. "Дніпропетровська область"
    region_ru: str = ""

    @property
    def code(self) -> str:
        return self.settlement_code or self.region_code or self.country

    def localised(self, field: str, lang: str) -> str:
        """``name``/``region`` in ``lang``, else English, else any language; Russian falls back
        to Ukrainian before English. "" when none is known."""
        order = ("ru", "uk", "en") if lang == "ru" else (lang, "en", "uk", "ru")
        for code in order:
            value = str(getattr(self, f"{field}_{code}", "") or "").strip()
            if value:
                return value
        return ""


def place_path(place: Place) -> tuple[str, ...]:
    """Every node code a place lies in, from the country down."""
    path = [place.country]
    if place.region_code:
        path.append(place.region_code)
    if place.settlement_code:
        path.append(place.settlement_code)
    return tuple(path)


@dataclass(frozen=True, slots=True)
class Report:
    """What the classifier read out of one Article."""

    is_civilian_strike: bool
    score: float  # in [0, 1]
    places: tuple[Place, ...] = ()
    killed: int | None = None
    injured: int | None = None
    children_killed: int | None = None
    children_injured: int | None = None
    killed_more: bool = False  # "more than 14 killed": shown as "14+"
    injured_more: bool = False
    weapon: Weapon = Weapon.UNKNOWN  # the main one, for display
    #: Every weapon the text names for its main event, most specific first ("missiles and
    #: drones": both), for clustering; empty when none is named.
    weapons: tuple[Weapon, ...] = ()
    objects: tuple[
        str, ...
    ] = ()  # civilian objects hit: residential, medical, education, energy...
    event_time: datetime | None = None  # when the strike happened, from time cues, if stated
    is_old: bool = False  # the text is about an event well in the past (anniversary, "weeks later")
    reasons: tuple[str, ...] = ()  # cues that fired, for "why this alert?"
    #: The text only updates a toll ("загиблих вже 18") without naming a strike and without any
    #: sign of another cause: it may update a known event but never start one.
    updates_toll: bool = False


@dataclass(frozen=True, slots=True)
class Source:
    name: str
    url: str


@dataclass(frozen=True, slots=True)
class Event:
    """One real strike, merged from one or more Reports."""

    id: str
    version: int  # 1 at creation; +1 per meaningful update
    places: tuple[Place, ...]
    event_time: datetime  # best estimate of when it happened
    first_seen: datetime
    last_seen: datetime
    weapon: Weapon = Weapon.UNKNOWN
    killed: int | None = None
    injured: int | None = None
    children_killed: int | None = None
    children_injured: int | None = None
    killed_more: bool = False
    injured_more: bool = False
    objects: tuple[str, ...] = ()
    severity: Severity = Severity.LOW
    sources: tuple[Source, ...] = ()
    title: str = ""  # headline of the first report (outside text: escape before display)
    tokens: frozenset[str] = field(default_factory=frozenset)  # content fingerprint for matching
    reasons: tuple[str, ...] = ()
    weapons: tuple[str, ...] = ()  # every weapon its reports named (Weapon values), in order

    @property
    def codes(self) -> frozenset[str]:
        """Every hierarchy node this event lies in (for subscription matching)."""
        return frozenset(code for place in self.places for code in place_path(place))


@dataclass(frozen=True, slots=True)
class Comparison:
    """How one report was compared with one candidate event (for ``replay --explain`` and
    "Why this alert?"): the evidence terms in order, their sum, and the verdict."""

    event_id: str
    score: float | None  # None: ruled out before scoring (``evidence`` says why)
    joined: bool
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class EventChange:
    """The outcome of clustering one Report."""

    kind: ChangeKind
    event: Event | None  # None only when IGNORED
    previous: Event | None = None  # the event before an UPDATE/DUPLICATE
    what_changed: tuple[
        str, ...
    ] = ()  # field names that rose: "killed", "injured", "children", "weapon"
    comparisons: tuple[Comparison, ...] = ()  # every candidate looked at, best first
