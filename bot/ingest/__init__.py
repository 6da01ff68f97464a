"""Feed ingestion: RSS/Atom feeds → new :class:`bot.domain.Article` rows.

* ``fetch.py``: aiohttp, conditional GET, politeness, bounded reads (I/O);
* ``parse.py``: bytes → ParsedFeed with feedparser, dates, plain text (pure);
* ``identity.py``: identity keys, and which items are new and recent (pure);
* ``schedule.py``: the next poll time from (state, outcome, now) (pure);
* ``poller.py``: the shell, due feeds → fetch → parse → one transaction per feed.

Nothing is imported here on purpose: a parse worker process imports ``bot.ingest.parse``
and should not pay for aiohttp and SQLAlchemy.
"""
