"""What a place name does in its sentence: struck, or only named (pure checks on the text).

A place is *struck* when the sentence puts the strike there: the locative of the strike clause
("in/at/near X", "у/в/на/по/під X", "в районе X"), the object of a strike verb ("shelled X",
"обстріляли X", "атаковали X"), or the next item of a list that began so ("in Kharkiv, Odesa
and Dnipro"). A place is only *named* when it is:

- an office: "Kharkiv mayor", "mayor of Kharkiv", "head of the Odesa regional military
  administration", "голова Одеської ОВА", "мер Харкова", "губернатор Белгородской области" —
  the office's region says where it happened, never a second hit (a regional office of a city
  named like its oblast is the oblast: "Dnipropetrovsk regional …" is not Dnipro city);
- a dateline ("KYIV –", "KYIV, Dec 2 (Reuters) –", "ХАРКІВ. ") at the start of a line;
- an organisation's name in quotes ("БФ «Схід»", the "Kyiv Independent");
- background: a sentence that recalls an earlier event ("Recall that…", "Нагадаємо…",
  "Напомним…", "Earlier…", "Раніше…").
"""

from __future__ import annotations

import re

_OFFICE_AFTER = re.compile(
    r"[’']?s?[ \t]+(?:city[ \t]+|regional[ \t]+|oblast[ \t]+|region(?:al)?[ \t]+|state[ \t]+|"
    r"military[ \t]+|district[ \t]+)*(?:mayor|governor|administration|council|police|"
    r"prosecutor|authorities|governor's|mayor's|head|chief|officials?|health[ \t]+ministry|"
    r"emergency[ \t]+service|ОВА|ОДА|МВА|ВЦА|РВА|РДА|OVA|ODA|MVA|ГУНП|міськрад\w*|облрад\w*|"
    r"міськ\w*[ \t]+(?:рад\w*|голов\w*|військов\w*|адміністрац\w*)|"
    r"обласн\w*[ \t]+(?:рад\w*|військов\w*|державн\w*|адміністрац\w*|прокуратур\w*)|"
    r"городск\w*[ \t]+(?:дум\w*|совет\w*|голов\w*|администрац\w*)|"
    r"областн\w*[ \t]+(?:дум\w*|администрац\w*|прокуратур\w*)|"
    r"(?:област\w*|обл\.?)[ \t]+(?:військов\w*|державн\w*|рад\w*|прокуратур\w*|поліці\w*))",
    re.IGNORECASE,
)
_OFFICE_BEFORE = re.compile(
    r"(?:\b(?:mayor|governor|head|chief|administration|council|police|prosecutor'?s?"
    r"(?:[ \t]+office)?)[ \t]+(?:of|in)[ \t]+(?:the[ \t]+)?"
    r"|(?<!\w)(?:мер|мера|меру|мэр|мэра|мэру|голов[аиіоу]\w*|очільни\w*|начальни\w*"
    r"|губернатор\w*|глав[аыеу]|керівни\w*|адміністраці\w*|администраци\w*)"
    r"(?:[ \t]+(?:міста|города|м\.|г\.))?[ \t]+)$",
    re.IGNORECASE,
)
#: A regional office: it names the oblast, whatever the city of the same name.
_REGIONAL = re.compile(
    r"regional|oblast|region|governor|ОВА|ОДА|OVA|ODA|обласн|областн|област|обл\.|губернатор",
    re.IGNORECASE,
)
#: After a dateline's place: ", Dec 2 (Reuters) –", " (AP) —", ", Ukraine —" (a comma part or
#: an agency is needed unless the name is in capitals: "Харків – удар по школі" is a headline).
_DATELINE_AFTER = re.compile(
    r"(?:,[^\n—–(]{1,40}?|(?=[ \t]*\())(?:[ \t]*\((?:Reuters|AP|AFP|UPI|dpa|Xinhua|Bloomberg"
    r"|Укрінформ|УНІАН|Интерфакс|ТАСС|РИА[^)]{0,12})\))?[ \t]*(?:[—–]|-{1,2}[ \t])"
)
_QUOTE_BEFORE = ("«", '"', "“", "„", "‘")
_BACKGROUND = re.compile(
    r"[\s\"«“(]*(?:recall(?:ed)?\b|as a reminder|earlier\b|previously|in (?:january|february"
    r"|march|april|may|june|july|august|september|october|november|december|\d{4})\b"
    r"|нагада\w*|нагаду\w*|напомн\w*|раніше|ранее|як відомо|как известно|також нагада\w*)",
    re.IGNORECASE,
)
#: A span of time, not one night: the sentence tells a pattern or a total, not the strike.
_OVER_A_PERIOD = re.compile(
    r"\b(?:(?:over|in|during|throughout)[ \t]+(?:the[ \t]+)?(?:recent|past|last|previous)"
    r"[ \t]+(?:\w+[ \t]+)?(?:weeks|months|years)|in[ \t]+recent[ \t]+(?:weeks|months|years)"
    r"|since[ \t]+(?:the[ \t]+start|the[ \t]+beginning|20\d\d|the[ \t]+full-scale))\b"
    r"|(?<!\w)(?:за[ \t]+(?:останні|минулі|последние|прошедшие)[ \t]+(?:\w+[ \t]+)?"
    r"(?:тижні|місяці|роки|недели|месяцы|годы)|протягом[ \t]+(?:останніх|минулих)[ \t]+"
    r"(?:\w+[ \t]+)?(?:тижнів|місяців|років)|в[ \t]+последние[ \t]+(?:\w+[ \t]+)?"
    r"(?:недели|месяцы|годы)|з[ \t]+початку[ \t]+(?:повномасштабного|великої|війни|року)"
    r"|с[ \t]+начала[ \t]+(?:полномасштабного|войны|года|СВО))(?!\w)",
    re.IGNORECASE,
)
_LOCATIVE_BEFORE = re.compile(
    r"(?:\b(?:in|at|on|near|outside|across|around|inside"
    r"|(?:city|town|village|settlement|outskirts|suburbs?|centre|center)[ \t]+of)"
    r"|(?<!\w)(?:у|в|на|по|під|під час удару по|біля|поблизу|неподалік|под|возле|около"
    r"|вблизи|в районе|в районі|в окрестностях|в околицях|на околиці|на окраине))"
    r"(?:[ \t]+(?:the|a|city|town|village|settlement|villages|towns|cities|of|місті|місто|селі"
    r"|село|селищі|селище|смт|громаді|городе|город|селе|поселке|посёлке|м\.|с\.|г\.|п\.))*"
    r"[ \t]+$",
    re.IGNORECASE,
)
_STRIKE_VERB_BEFORE = re.compile(
    r"(?:\b(?:hit|hits|struck|strikes?|striking|attack(?:ed|s|ing)?|shell(?:ed|s|ing)?|pound(?:ed|s)?"
    r"|target(?:ed|s|ing)?|bomb(?:ed|s|ing)?|bombard(?:ed|s)?|rocked|raided)"
    r"|(?<!\w)(?:обстріля\w*|обстрілю\w*|атакува\w*|атакує|атакуют\w*|вдари\w*|вдаря\w*|удари\w*"
    r"|уда?рил\w*|обстреля\w*|обстреливa?\w*|атакова\w*|поціли\w*|накрил\w*|накрыл\w*|бомби\w*"
    r"|обстріл|обстрілу|обстріли|обстрел|обстрела|обстрелы|атака на|атаки на|атаку на|удар по"
    r"|удару по|удари по|удары по))[ \t]+(?:the[ \t]+)?$",
    re.IGNORECASE,
)
#: Ground war, not a strike: "rebels captured a village in X", "у X тривають бої".
_GROUND = re.compile(
    r"\b(?:captur\w*|seiz\w*|took control|take control|taking control|advanc\w*|fighting"
    r"|battles?|clashes|offensive|stormed|encircl\w*|liberat\w*)\b"
    r"|(?<!\w)(?:захопи\w*|захопл\w*|окупува\w*|бої|боїв|боях|наступ(?:у|ом|і|ає|ають|али|ав)?"
    r"|штурм\w*|звільни\w*|просува\w*|просунул\w*|захвати\w*|захватил\w*|бои|боев|боях"
    r"|наступлени\w*|наступа\w*|освободи\w*|продвину\w*|продвига\w*)(?!\w)",
    re.IGNORECASE,
)
_CLAUSE_EDGE = re.compile(
    r"[,;:—–()\n.!?]|\b(?:as|while|but|whereas)\b|(?<!\w)(?:а|але|но|тогда как)(?!\w)"
)
_LIST_GAP = re.compile(
    r"[ \t]*(?:,|;|\band\b|\bта\b|\bі\b|\bй\b|\bи\b|\bas well as\b|\bа також\b|\bа также\b)"
    r"(?:[ \t]*(?:and|та|і|й|и|also|the|in|у|в|на|по))*[ \t]*$",
    re.IGNORECASE,
)


def office(text: str, start: int, end: int) -> str:
    """ "" when the name is no office's; "regional" for a regional office (governor, oblast
    administration, ОВА), "city" for a city's (mayor, city council, police of the city)."""
    after = _OFFICE_AFTER.match(text, end)
    before = _OFFICE_BEFORE.search(text, max(0, start - 40), start)
    if after is None and before is None:
        return ""
    said = (after.group() if after else "") + (before.group() if before else "")
    return "regional" if _REGIONAL.search(said) or _REGIONAL.search(text, start, end) else "city"


def dateline(text: str, start: int, end: int) -> bool:
    """Is the name a newsroom's dateline at the start of a line ("KYIV –", "Kyiv, Dec 2
    (Reuters) –", "ХАРКІВ. ")?"""
    if start and text[start - 1] != "\n":
        return False
    surface = text[start:end]
    if len(surface) > 2 and surface.isupper() and text[end : end + 2] in (". ", ", ", " –", " —"):
        return True
    return _DATELINE_AFTER.match(text, end) is not None


def quoted(text: str, start: int) -> bool:
    """Is the name the first word inside quotes (an outlet's or charity's name)?"""
    return start > 0 and text[start - 1] in _QUOTE_BEFORE


def background(text: str, sentence_start: int, sentence_end: int = -1) -> bool:
    """Does the sentence recall an earlier event ("Recall that…", "Нагадаємо…") or tell a
    pattern over a span of time ("in both X and Y over recent months", "за останні тижні")?"""
    if _BACKGROUND.match(text, sentence_start) is not None:
        return True
    end = len(text) if sentence_end < 0 else sentence_end
    return _OVER_A_PERIOD.search(text, sentence_start, end) is not None


def struck_position(text: str, start: int) -> bool:
    """Does a locative or a strike verb come right before the name ("in X", "обстріляли X")?"""
    window = max(0, start - 40)
    return bool(
        _LOCATIVE_BEFORE.search(text, window, start)
        or _STRIKE_VERB_BEFORE.search(text, window, start)
    )


def continues_list(text: str, previous_end: int, start: int) -> bool:
    """Is the name the next item of a list right after a place ("Kharkiv, Odesa and Dnipro")?"""
    return (
        0 <= start - previous_end <= 24
        and _LIST_GAP.fullmatch(text, previous_end, start) is not None
    )


def ground_clause(text: str, start: int, end: int) -> bool:
    """Does the name's clause tell ground fighting, not a strike ("as rebels captured a
    village in X", "у X тривають важкі бої")? A list inside the clause stays one clause only
    up to its commas, which is enough: the ground verb stands next to the place it names."""
    window_start = max(0, start - 80)
    edges = [m.end() for m in _CLAUSE_EDGE.finditer(text, window_start, start)]
    left = edges[-1] if edges else window_start
    after = _CLAUSE_EDGE.search(text, end, min(len(text), end + 80))
    right = after.start() if after else min(len(text), end + 80)
    return _GROUND.search(text, left, right) is not None
