"""strikebot: alerts Telegram users to strikes that hit civilians in their region."""

__version__ = "0.1.0"
