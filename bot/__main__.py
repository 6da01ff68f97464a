"""``python -m bot`` is the ``strikebot`` command."""

from bot.cli import main

raise SystemExit(main())
