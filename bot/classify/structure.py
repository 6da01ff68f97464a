"""How a news item is built: headline and lead, body, background, page furniture.

An editor reads the headline and the lead for *the* event an item reports; the body adds detail,
quotes and reactions; background paragraphs ("Recall…", "Нагадаємо…", "Ранее…", totals since
2022, "two days earlier") tell of other events. :func:`read_structure` marks each sentence:

* **furniture** — "ADVERTISEMENT", "Read also: …", "Читайте також", subscribe, donation and
  photo-credit lines: not text at all;
* **background** — a sentence (and the rest of its paragraph) that opens with a recall marker,
  or that states a total since the war began or an event some days *earlier*;
* **head** — the headline and the lead (the first sentences, at most :data:`HEAD_SENTENCES`);
* the rest is **body**: about the main event, but its negative cues (an investigation, a
  politician's reaction) do not veto what the head reports plainly.

Furniture and background are blanked (replaced by spaces of the same length), so every later
stage — cues, figures, places, dates — reads only the main event and every offset stays valid.
Pure and cheap: a few regular expressions over the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from bot.classify.text import Sentences

HEAD_SENTENCES = 3  # headline + lead, at most

_FURNITURE = re.compile(
    r"\W{0,8}(?:"
    r"advertisement|sponsored|continue reading|read (?:also|more)|see also|related:|more:|"
    r"subscribe|sign up|follow us|support (?:us|our)|donate|share this|photo:|photos?:|"
    r"photo by|image:|video:|watch:|listen:|getty images|ap photo|reuters/|"
    r"читайте (?:також|также|нас)|дивіться також|смотрите также|читать также|також читайте|"
    r"підписуйтесь|підпишіться|подписывайтесь|подпишитесь|реклама|фото:|відео:|видео:|"
    r"підтримайте|поддержите|джерело фото|источник фото|новини партнерів|новости партнеров"
    r")",
)
_FURNITURE_ANYWHERE = re.compile(
    r"advertisement\W+continue reading|continue reading below|"
    r"\b(?:subscribe|підпис\w+|подпис\w+) (?:to|на) (?:our|наш)\w* (?:telegram|newsletter|"
    r"канал|телеграм|розсилк|рассылк)",
)
#: A sentence that opens background: the rest of its paragraph is background too.
_RECALL = re.compile(
    r"\W{0,6}(?:"
    r"recall(?:,|\b)|as a reminder|to recall|background:|for context|передісторія|"
    r"предыстория|довідково|справочно|earlier(?:,| this (?:week|month|year))|previously|"
    r"in a previous|in an earlier|before that|prior to (?:that|this)|last (?:week|month|year)|"
    r"last (?:mon|tues|wednes|thurs|fri|satur|sun)day|"
    r"минулого (?:понеділка|вівторка|четверга|тижня)|минулої (?:середи|п'ятниці|суботи|неділі)|"
    r"в прошл(?:ый|ую|ое) (?:понедельник|вторник|среду|четверг|пятницу|субботу|воскресенье)|"
    r"нагадаємо|нагадуємо|нагадаем|нагадаю|раніше|до цього|до того|як повідомлялося|"
    r"як раніше|минулого (?:тижня|місяця|року)|"
    r"напомним|напоминаем|ранее|до этого|как сообщалось|как ранее|на прошлой неделе|"
    r"в прошлом (?:месяце|году)"
    r")",
)
#: Anywhere in a sentence: totals since the war began, an event some days or weeks before.
_ELSEWHERE_IN_TIME = re.compile(
    r"\bsince (?:the (?:start|beginning|outbreak) of|(?:february |feb\.? |october )?20\d\d|"
    r"the (?:full-scale|war|invasion)|russia's full-scale|moscow's full-scale)|"
    r"\b(?:a|one|two|three|four|five|six|several|\d+) (?:days?|weeks?|months?) "
    r"(?:earlier|before)\b|\bthe (?:earlier|previous) (?:strike|attack)|"
    r"(?:з|від) початку (?:повномасштабн|війни|вторгнення|великої війни)|"
    r"за (?:весь|увесь) час (?:війни|вторгнення)|з 2022|з лютого 2022|"
    r"(?:кількома |два |три |чотири |п'ять )?(?:днями|днів|дні|тижнями|тижні) (?:раніше|тому)\b|"
    r"с начала (?:сво|специальной|войны|вторжения|полномасштабн)|за (?:все|всё) время|"
    r"с 2022|с февраля 2022|(?:днем|днём|неделей|днями|двумя днями) ранее|"
    # a tally over a period: "in the same period", "from January to June"
    r"\bin the same period|\bover the (?:same|past) (?:period|year|months)|"
    r"\bfrom (?:january|february|march|april|may|june|july|august|september|october|november"
    r"|december) (?:to|through|until) |за (?:той самий|цей же|этот же|тот же) період|"
    r"за тот же период|з (?:січня|лютого|березня|квітня|травня|червня) по |"
    r"с (?:января|февраля|марта|апреля|мая|июня) по |"
    # a trend, not an event: "a growing pattern", "attacks on cities such as …"
    r"\b(?:many|most|some) of (?:these|the) (?:attacks|strikes)|\bcities (?:like|such as)\b|"
    r"\b(?:growing|broader|wider) pattern|багато (?:з )?(?:цих|таких) (?:атак|ударів)|"
    r"(?:таких )?міст(?:ах)?,? як-от|многие из (?:этих|таких) (?:атак|ударов)|"
    r"(?:таких )?город(?:ах|а)?,? как\b",
)
#: Every alternative of :data:`_ELSEWHERE_IN_TIME` holds one of these: a sentence with none of
#: them skips that (costly) search.
_ELSEWHERE_WORDS = (
    "since",
    "over the",
    "earlier",
    "before",
    "previous",
    "period",
    "from ",
    "період",
    "период",
    "з січ",
    "з лют",
    "з бер",
    "з кві",
    "з тра",
    "з чер",
    "с янв",
    "с фев",
    "с мар",
    "с апр",
    "с мая",
    "с июн",
    "початку",
    "час ",
    "2022",
    "раніше",
    "тому",
    "начала",
    "время",
    "ранее",
    "of th",
    "cities",
    "pattern",
    "цих",
    "таких",
    "як-от",
    "этих",
    "город",
)
#: Inside a recall: it tells of another day ("Нагадаємо, минулого тижня…", "Recall that a week
#: ago…"), so it cannot restate the main event.
_OTHER_TIME = re.compile(
    r"\b(?:last|previous) (?:week|month|year)|\b(?:days?|weeks?|months?|years?) (?:ago|earlier)|"
    r"минул(?:ого|ої|ий|ому) (?:тижн|місяц|рок|понеділ|вівтор|"
    r"серед|четвер|п'ятниц|субот|неділ)|(?:днів|тижн\w*|місяц\w*|рок\w*|років) тому|"
    r"прошл(?:ой|ом|ого|ую|ый) (?:недел|месяц|год|понедельник|вторник|сред|четверг|пятниц|"
    r"суббот|воскресень)|(?:дней|недел\w*|месяц\w*|год\w*|лет) назад"
)
#: A wire dateline opening a paragraph: "KYIV, Ukraine (AP) —", "ODESA (Reuters) -",
#: "LONDON, May 14 (Reuters) -", "BEIRUT:". It says where the reporter was, not the strike.
_DATELINE = re.compile(
    r"(?:^|(?<=\n))[ \t]*[A-ZА-ЯІЇЄҐ][A-ZА-ЯІЇЄҐ'’.\- ]{2,30}"
    r"(?:,[ \t]*[A-Z][\w.]*(?:[ \t][A-Z][\w.]*)?)?(?:,?[ \t]*[A-Z][a-z]{2,8}\.?[ \t]\d{1,2})?"
    r"[ \t]*(?:\((?:AP|AFP|Reuters|Xinhua|dpa|UNIAN|Interfax|RFE/RL|Ukrinform|Anadolu)\))?"
    r"[ \t]*(?:[—–]|--?|:)[ \t]"
)
_ELSEWHERE_TRIGGER = re.compile("|".join(map(re.escape, _ELSEWHERE_WORDS)))
_WORDS3 = re.compile(r"[^\W\d_]{3,}")
_PARAGRAPH = re.compile(r"\n")
_TEXT = re.compile(r"\w")


@dataclass(frozen=True, slots=True)
class Structure:
    """One document read for its main event."""

    main: str  # the document with furniture and background blanked (same length)
    main_norm: str  # the same, normalised
    sentences: Sentences
    head: int  # sentences [0, head) are the headline and lead
    background: frozenset[int]
    furniture: frozenset[int]
    title: int = 0  # sentences [0, title) are the headline given apart from the text
    #: Background that only recalls ("Нагадаємо, …") with no sign of another time: it may
    #: restate the main event itself, which a bare toll update then needs.
    recall: frozenset[int] = frozenset()
    source: str = ""  # the document and its normal form before blanking
    source_norm: str = ""
    datelines: tuple[tuple[int, int], ...] = ()  # blanked spans: "KYIV, Ukraine (AP) —"

    def in_head(self, sentence: int) -> bool:
        return sentence < self.head

    def restore(self, which: frozenset[int]) -> Structure:
        """The same reading with the sentences ``which`` no longer blanked."""
        background = self.background - which
        starts, end = self.sentences.starts, len(self.source)
        bounds = [(lo, nxt) for lo, nxt in zip(starts, [*starts[1:], end], strict=True)]
        spans = sorted([*(bounds[i] for i in background | self.furniture), *self.datelines])
        return replace(
            self,
            main=_blank(self.source, spans),
            main_norm=_blank(self.source_norm, spans),
            background=background,
            recall=self.recall - which,
        )


def read_structure(
    doc: str, norm: str, title_chars: int = 0, sentences: Sentences | None = None
) -> Structure:
    """Mark the sentences of ``doc`` (``norm`` is its normalised form, of the same length),
    whose first ``title_chars`` are the headline (``sentences``: its split, if already made)."""
    if sentences is None:
        sentences = Sentences.split(doc)
    starts = sentences.starts
    n = len(starts)
    title_sentences = sum(1 for s in starts if s < title_chars)
    bounds = [(starts[i], starts[i + 1] if i + 1 < n else len(doc)) for i in range(n)]
    breaks = [m.start() for m in _PARAGRAPH.finditer(doc)]
    head = _head(bounds, breaks, title_sentences)
    # Patterns that may match anywhere run once over the whole text (cheaper than per sentence).
    anywhere = {sentences.index(m.start()) for m in _FURNITURE_ANYWHERE.finditer(norm)}
    # The costly background pattern runs only on sentences holding one of its words.
    elsewhere: set[int] = set()
    for s in {sentences.index(m.start()) for m in _ELSEWHERE_TRIGGER.finditer(norm)}:
        if _ELSEWHERE_IN_TIME.search(norm, *bounds[s]):
            elsewhere.add(s)
    furniture: set[int] = set()
    background: set[int] = set()
    recall: set[int] = set()
    recall_until = -1  # a recall marker makes the rest of its paragraph background
    for i, (lo, hi) in enumerate(bounds):
        if _TEXT.search(norm, lo, hi) is None:
            continue
        if i in anywhere or _FURNITURE.match(norm, lo, hi):
            furniture.add(i)
            continue
        if i == 0:
            continue  # the headline (or the first sentence) is never background
        if lo < recall_until or _RECALL.match(norm, lo, hi):
            background.add(i)
            if lo >= recall_until:
                nxt = next((b for b in breaks if b >= hi - 1), -1)
                recall_until = nxt if nxt >= 0 else -1
            if i not in elsewhere and not _OTHER_TIME.search(norm, lo, hi):
                recall.add(i)
        elif i in elsewhere:
            background.add(i)
    datelines = [m.span() for m in _DATELINE.finditer(doc) if _is_dateline(m.group())]
    if not furniture and not background and not datelines:
        return Structure(doc, norm, sentences, head, frozenset(), frozenset(), title_sentences)
    spans = sorted([*(bounds[i] for i in furniture | background), *datelines])
    return Structure(
        _blank(doc, spans),
        _blank(norm, spans),
        sentences,
        head,
        frozenset(background),
        frozenset(furniture),
        title_sentences,
        frozenset(recall),
        doc,
        norm,
        tuple(datelines),
    )


def _is_dateline(text: str) -> bool:
    """At least one word of the capitals is a whole upper-case word of three letters or more
    ("KYIV", not "A Russian …" or "UN -")."""
    return any(w.isupper() for w in _WORDS3.findall(text))


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with each (ordered, possibly overlapping) span replaced by spaces."""
    pieces: list[str] = []
    last = 0
    for lo, hi in spans:
        lo = max(lo, last)
        if hi <= lo:
            continue
        pieces.append(text[last:lo])
        pieces.append(" " * (hi - lo))
        last = hi
    pieces.append(text[last:])
    return "".join(pieces)


def _head(bounds: list[tuple[int, int]], breaks: list[int], title_sentences: int) -> int:
    """Headline and lead: the title's sentences plus the lead paragraph, at most
    :data:`HEAD_SENTENCES` in all (a text with no paragraphs: its first sentences)."""
    first = title_sentences
    if first >= len(bounds):
        return len(bounds)
    lead_start = bounds[first][0]
    end_of_lead = next((b for b in breaks if b > lead_start + 1), None)
    head, taken = first, 0
    while head < len(bounds) and taken < max(HEAD_SENTENCES - first, 1):
        if end_of_lead is not None and bounds[head][0] > end_of_lead:
            break
        taken += bounds[head][1] - bounds[head][0] > 2  # a bare line break is no sentence
        head += 1
    return max(head, 1)
