"""Gazetteer: place names in en/uk/ru text → the country ⊃ region ⊃ settlement hierarchy.

    gazetteer = load_gazetteer()              # once, at start-up; pass the instance around
    gazetteer.find_places("Удар по Кривому Розі")  # → [PlaceMatch(place=Place(... "UA-12" ...))]
    gazetteer.search("Kharkov")               # "/subscribe" look-up, typo-tolerant
    gazetteer.resolve("Кривому Розі")         # the one place an exact name means, or None
    gazetteer.node("UA-12")

Codes follow :mod:`bot.domain`: ``"UA"``, ``"UA-12"``, ``"UA-12:<id>"`` where the id is the
KATOTTG register code without its "UA" prefix, or a GeoNames id for places outside the register.
A country's Place carries the country's own names in ``name_en/uk/ru``; a region's Place has
empty ``name_*`` and its names in ``region_en/uk/ru``.
"""

from bot.geo.gazetteer import Gazetteer, PlaceMatch, load_gazetteer

__all__ = ["Gazetteer", "PlaceMatch", "load_gazetteer"]
