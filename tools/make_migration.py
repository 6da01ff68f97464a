"""Developer script: autogenerate an Alembic migration from bot/store/tables.py.

    python tools/make_migration.py "add x to y"

It upgrades a scratch SQLite database to head, then diffs the models against it.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

from alembic import command
from sqlalchemy import Connection

from bot.store.db import create_engine
from bot.store.migrate import alembic_config, upgrade


async def main(message: str, rev_id: str | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(f"sqlite+aiosqlite:///{Path(tmp) / 'scratch.sqlite3'}")
        await upgrade(engine)

        def revise(connection: Connection) -> None:
            command.revision(
                alembic_config(connection), message=message, autogenerate=True, rev_id=rev_id
            )

        async with engine.begin() as conn:
            await conn.run_sync(revise)
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None))
