"""Subscription use cases: /start's menu, /subscribe, /unsubscribe, /mysubs, /stop.

Each function takes the session factory, the gazetteer (:class:`bot.chat.places.PlaceIndex`), the
chat and the time, does one unit of work and returns the :class:`Reply` to send. Outside text
(what the user typed, place names) is escaped with ``t_html``.
"""

from __future__ import annotations

import html
import logging
import re
from datetime import datetime

from bot.chat import menus
from bot.chat.conversation import ChatRef, Reply, open_chat
from bot.chat.places import (
    MAX_CHOICES,
    PlaceIndex,
    Resolution,
    code_name,
    country_name,
    is_known,
    options,
    region_label,
    resolve,
)
from bot.domain import ALL_PLACES
from bot.i18n import t, t_html
from bot.store import chats
from bot.store.db import SessionFactory

#: Offered by /start until enough chats have subscribed to show what is really used:
#: Kyiv city, Kharkiv, Dnipropetrovsk, Odesa, Zaporizhzhia, Lviv.
DEFAULT_REGIONS = ("UA-30", "UA-63", "UA-12", "UA-51", "UA-23", "UA-46")
START_REGIONS = 6
HOME_COUNTRY = "UA"
log = logging.getLogger("strikebot.chats")
_REGION = re.compile(r"[A-Z]{2}-[A-Z0-9]{1,3}")


async def start_menu(
    sessions: SessionFactory, index: PlaceIndex, ref: ChatRef, now: datetime
) -> Reply:
    """Welcome, disclaimer, and the most-used regions to pick from."""
    async with sessions() as session:
        chat = await open_chat(session, ref, now)
        used = await chats.subscription_counts(session, limit=50)
        await session.commit()
        lang = chat.lang
    codes = [code for code, _n in used if _REGION.fullmatch(code)]
    codes += [code for code in DEFAULT_REGIONS if code not in codes]
    picked = [p for p in (index.node(c) for c in codes) if p is not None][:START_REGIONS]
    text = "\n".join(
        (t(lang, "start.welcome"), t(lang, "start.disclaimer"), t(lang, "start.choose"))
    )
    return Reply(text, menus.start_keyboard(options(picked, lang), lang, HOME_COUNTRY))


def regions_menu(index: PlaceIndex, lang: str, country: str, page: int) -> Reply | None:
    """A page of a country's regions (None: the country is unknown)."""
    node = index.node(country)
    if node is None:
        return None
    regions = sorted(options(index.regions(country), lang), key=lambda o: o[0].casefold())
    markup = menus.regions_keyboard(
        (country_name(country, lang, node), country),
        regions,
        page,
        lang,
        more_countries=len(index.countries()) > 1,
    )
    return Reply(t(lang, "sub.pick_region"), markup)


def countries_menu(index: PlaceIndex, lang: str, page: int) -> Reply:
    countries = sorted(
        ((country_name(p.country, lang, p), p.country) for p in index.countries()),
        key=lambda o: (o[1] != HOME_COUNTRY, o[0].casefold()),
    )
    return Reply(t(lang, "sub.pick_country"), menus.countries_keyboard(countries, page, lang))


async def subscribe_text(
    sessions: SessionFactory, index: PlaceIndex, ref: ChatRef, text: str, now: datetime
) -> Reply:
    """/subscribe <text>: subscribe, offer a choice, suggest, or show the regions.

    A name that means one place subscribes at once; a name several places share asks (each
    place once); a typo suggests. /unsubscribe reads names the same way (:func:`resolve`).
    """
    found = resolve(index, text)
    if found.kind in ("all", "one"):
        code = ALL_PLACES if found.kind == "all" else found.places[0].code
        return await subscribe_code(sessions, index, ref, code, now)
    async with sessions() as session:
        lang = (await open_chat(session, ref, now)).lang
        await session.commit()
    return _unresolved(index, lang, text, found)


def _unresolved(index: PlaceIndex, lang: str, text: str, found: Resolution) -> Reply:
    query = " ".join(text.split())
    kind = found.kind
    offered = options(found.places, lang)
    if kind == "empty":
        menu = regions_menu(index, lang, HOME_COUNTRY, 0)
        return menu if menu is not None else countries_menu(index, lang, 0)
    if kind == "too_long":
        return Reply(t(lang, "error.too_long", limit=100))
    if kind == "many":
        text = t_html(lang, "sub.choose", query=query)
        if len(offered) > MAX_CHOICES:
            example = f"{query}, {region_label(found.places[0], lang)}"
            text += "\n" + t_html(lang, "sub.narrow", shown=MAX_CHOICES, example=example)
        return Reply(text, menus.choices(offered[:MAX_CHOICES]))
    if kind == "suggest":
        bold = [f"<b>{html.escape(name, quote=False)}</b>" for name, _code in offered]
        names = t(lang, "sub.or").join([", ".join(bold[:-1]), bold[-1]] if len(bold) > 1 else bold)
        text = t(lang, "sub.suggest", query=html.escape(query, quote=False), options=names)
        return Reply(text, menus.choices(offered))
    return Reply(t_html(lang, "sub.not_found", query=query) + "\n" + t(lang, "sub.hint"))


async def subscribe_code(
    sessions: SessionFactory, index: PlaceIndex, ref: ChatRef, code: str, now: datetime
) -> Reply:
    """Subscribe to a known code (from a button or a resolved name)."""
    async with sessions() as session:
        chat = await open_chat(session, ref, now)
        lang = chat.lang
        if not is_known(index, code):
            await session.commit()
            return Reply(t(lang, "error.stale"), mode="none", note=t(lang, "error.stale"))
        added = await chats.subscribe(session, chat.id, code, now)
        await session.commit()
    name = code_name(index, code, lang)
    if code == ALL_PLACES and added:
        text = t(lang, "sub.all")
    else:  # "Ви підписалися на Харківську область"
        target = code_name(index, code, lang, "accs")
        text = t_html(lang, "sub.done" if added else "sub.already", place=target)
    return Reply(text, note=t(lang, "sub.toast", place=name) if added else None)


async def unsubscribe_text(
    sessions: SessionFactory, index: PlaceIndex, ref: ChatRef, text: str, now: datetime
) -> Reply:
    """/unsubscribe [text]: remove the named subscription, or offer the current ones."""
    async with sessions() as session:
        chat = await open_chat(session, ref, now)
        lang = chat.lang
        codes = await chats.subscription_codes(session, chat.id)
        await session.commit()
    if not codes:
        return Reply(t(lang, "mysubs.empty"))
    query = " ".join(text.split())
    if not query:
        return _unsub_menu(index, lang, codes)
    found = resolve(index, query)
    if found.kind == "too_long":
        return Reply(t(lang, "error.too_long", limit=100))
    wanted = {ALL_PLACES} if found.kind == "all" else {p.code for p in found.places}
    hits = [code for code in codes if code in wanted]
    if len(hits) == 1 and found.kind != "suggest":
        return await unsubscribe_code(sessions, index, ref, hits[0], now)
    if hits:  # several of yours share the name, or a typo: ask which
        head = "unsub.choose_named" if found.kind != "suggest" else "unsub.did_you_mean"
        return _unsub_menu(index, lang, hits, t_html(lang, head, query=query))
    reply = _unsub_menu(index, lang, codes)
    return Reply(t_html(lang, "unsub.not_found", query=query) + "\n" + reply.text, reply.keyboard)


def _unsub_menu(index: PlaceIndex, lang: str, codes: list[str], head: str = "") -> Reply:
    offered = [(code_name(index, code, lang), code) for code in codes]
    return Reply(head or t(lang, "unsub.choose"), menus.choices(offered, "unsub"))


async def unsubscribe_code(
    sessions: SessionFactory, index: PlaceIndex, ref: ChatRef, code: str, now: datetime
) -> Reply:
    async with sessions() as session:
        chat = await open_chat(session, ref, now)
        removed = await chats.unsubscribe(session, chat.id, code)
        await session.commit()
        lang = chat.lang
    name = code_name(index, code, lang)
    if not removed:  # a stale button: say so in the toast, send nothing
        target = code_name(index, code, lang, "accs")  # "не підписані на Бучу"
        return Reply("", mode="none", note=t(lang, "unsub.not_subscribed", place=target))
    source = code_name(index, code, lang, "gent")  # "Ви відписалися від Бучі"
    return Reply(t_html(lang, "unsub.done", place=source), note=t(lang, "unsub.toast", place=name))


async def list_subscriptions(
    sessions: SessionFactory, index: PlaceIndex, ref: ChatRef, now: datetime
) -> Reply:
    async with sessions() as session:
        chat = await open_chat(session, ref, now)
        codes = await chats.subscription_codes(session, chat.id)
        await session.commit()
        lang = chat.lang
    if not codes:
        return Reply(t(lang, "mysubs.empty"))
    lines = [t(lang, "mysubs.header")]
    lines += [f"• {html.escape(code_name(index, code, lang), quote=False)}" for code in codes]
    lines.append(t(lang, "mysubs.footer"))
    offered = [(code_name(index, code, lang), code) for code in codes]
    return Reply("\n".join(lines), menus.choices([("✖ " + n, c) for n, c in offered], "unsub"))


async def stop_ask(sessions: SessionFactory, ref: ChatRef, now: datetime) -> Reply:
    async with sessions() as session:
        chat = await open_chat(session, ref, now)
        has_any = bool(await chats.subscription_codes(session, chat.id))
        await session.commit()
        lang = chat.lang
    if not has_any:
        return Reply(t(lang, "mysubs.empty"))
    markup = menus.confirm(lang, ("button.yes_stop", "stop:yes"), ("button.cancel", "stop:no"))
    return Reply(t(lang, "stop.confirm"), markup)


async def stop_answer(sessions: SessionFactory, ref: ChatRef, yes: bool, now: datetime) -> Reply:
    """The /stop confirmation was answered: remove everything, or keep it."""
    async with sessions() as session:
        chat = await open_chat(session, ref, now)
        lang = chat.lang
        if yes:
            await chats.unsubscribe_all(session, chat.id)
        await session.commit()
    return Reply(t(lang, "stop.done" if yes else "stop.kept"), mode="edit")


async def migrate(sessions: SessionFactory, old_id: int, new_id: int, now: datetime) -> None:
    """A group became a supergroup: subscriptions, settings and pending alerts move."""
    async with sessions() as session:
        await chats.migrate_chat(session, old_id, new_id, now)
        await session.commit()
    log.info("chat %s migrated to %s: subscriptions moved", old_id, new_id)
