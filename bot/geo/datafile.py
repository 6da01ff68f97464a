"""The gazetteer's data file and its compact in-memory form.

The file (``data/gazetteer.bin.gz``, made by ``tools/build_gazetteer.py``) is one gzip stream:

* a text header line: ``strikebot-gazetteer``, the format version, then the counts of nodes,
  keys and entries and the byte length of the node lines, tab-separated;
* per node, in node order (nodes are sorted by code): kind (one byte ``c``/``r``/``s``), then
  little-endian arrays of region node index (int32, -1: none), population and rank (int64);
* per key, the number of its entries (one byte), then all entries (int32): an entry is
  ``node << 4 | flags`` (see :data:`WEAK`, :data:`BEFORE_REGION_WORD`, :data:`NOT_BY_A_NAME`,
  :data:`LOWER_CASE`),
  best first;
* the node lines (UTF-8, ``\n``-separated): code, kind, country, region, population, rank,
  name_en, name_uk, name_ru separated by tabs;
* the keys (cp1251, one byte per Latin or Cyrillic letter, ``\n``-separated): folded surface
  forms, inflections and adjectives included.

In memory, keys stay ``bytes`` (about half the size of ``str`` for Cyrillic), entry numbers are
shared int objects, node lines stay raw ``bytes`` parsed only when a Place is built, and the few
fields the matcher needs per node live in flat arrays read straight from the file.
"""

from __future__ import annotations

import gzip
import pathlib
import sys
from array import array
from dataclasses import dataclass

FORMAT_VERSION = 4
MAGIC = "strikebot-gazetteer"
KEY_CODEC = "cp1251"

#: The entry is a place only when its region is named or implied elsewhere in the text.
WEAK = 1
#: An oblast adjective ("Харківській") that names the oblast only before "область"/"regions".
BEFORE_REGION_WORD = 2
#: A country whose English name is also a given name or a US state ("Jordan", "Georgia"):
#: not when it stands next to another capitalised word ("Michael Jordan").
NOT_BY_A_NAME = 4
#: A place adjective, written in lower case in running text ("в одеському порту").
LOWER_CASE = 8
FLAG_BITS = 4

Entries = int | tuple[int, ...]


@dataclass(slots=True)
class Tables:
    """Everything the file holds, in the compact form the matcher uses."""

    lines: list[bytes]  # one raw node line per node, without the newline
    kinds: bytes  # b"c" | b"r" | b"s" per node
    regions: array[int]  # region node index per node (-1: none)
    ranks: array[int]
    populations: array[int]
    keys: dict[bytes, Entries]
    multi_first: frozenset[bytes]  # first word of every multi-word key


def _array(kind: str, data: bytes, start: int, count: int) -> tuple[array[int], int]:
    out = array(kind)
    stop = start + count * out.itemsize
    out.frombytes(data[start:stop])
    if sys.byteorder != "little":
        out.byteswap()
    return out, stop


def read_tables(path: pathlib.Path) -> Tables:
    """Read the data file (see the module docstring)."""
    data = gzip.decompress(path.read_bytes())
    line_end = data.index(b"\n")
    header = data[:line_end].decode().split("\t")
    if header[0] != MAGIC or header[1] != str(FORMAT_VERSION):
        raise ValueError(f"gazetteer data format {header[:2]!r} is not supported")
    nodes, key_count, entry_count, line_bytes = map(int, header[2:6])
    pos = line_end + 1
    kinds, pos = data[pos : pos + nodes], pos + nodes
    regions, pos = _array("i", data, pos, nodes)
    populations, pos = _array("q", data, pos, nodes)
    ranks, pos = _array("q", data, pos, nodes)
    counts, pos = data[pos : pos + key_count], pos + key_count
    entries, pos = _array("i", data, pos, entry_count)
    shared: dict[int, int] = {}
    values: list[Entries] = []
    at = 0
    for count in counts:
        if count == 1:
            number = entries[at]
            values.append(shared.setdefault(number, number))
        else:
            values.append(tuple([shared.setdefault(n, n) for n in entries[at : at + count]]))
        at += count
    del shared, entries
    lines = data[pos : pos + line_bytes].split(b"\n")
    key_list = data[pos + line_bytes :].split(b"\n")
    del data
    if len(lines) != nodes or len(key_list) != key_count:
        raise ValueError("gazetteer data file is inconsistent")
    keys = dict(zip(key_list, values, strict=True))
    first_words = frozenset([k[: k.index(b" ")] for k in key_list if b" " in k])
    return Tables(lines, kinds, regions, ranks, populations, keys, first_words)


def write_tables(
    path: pathlib.Path, nodes: list[list[str]], keys: list[tuple[str, list[int]]]
) -> None:
    """Write the data file: ``nodes`` rows in file order (their region as a node index)."""
    regions, populations, ranks = array("i"), array("q"), array("q")
    for row in nodes:
        regions.append(int(row[3]))
        populations.append(int(row[4]))
        ranks.append(int(row[5]))
    entries = array("i", [e for _key, found in keys for e in found[:255]])
    counts = bytes(min(len(found), 255) for _key, found in keys)
    if sys.byteorder != "little":
        for table in (regions, populations, ranks, entries):
            table.byteswap()
    lines = "\n".join("\t".join(row) for row in nodes).encode()
    header = f"{MAGIC}\t{FORMAT_VERSION}\t{len(nodes)}\t{len(keys)}\t{len(entries)}\t{len(lines)}\n"
    parts = [
        header.encode(),
        "".join(row[1] for row in nodes).encode(),
        regions.tobytes(),
        populations.tobytes(),
        ranks.tobytes(),
        counts,
        entries.tobytes(),
        lines,
        "\n".join(key for key, _found in keys).encode(KEY_CODEC),
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(path, "wb", compresslevel=9, mtime=0) as handle:
        handle.write(b"".join(parts))
