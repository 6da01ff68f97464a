"""Modules of ``tools/build_gazetteer.py`` (build time only; imports anything)."""
