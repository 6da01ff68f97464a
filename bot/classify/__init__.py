"""Classifier and extractor: is this text a new strike that hurt civilians, where, how badly?

Pure code: the lexicons (``lexicon/*.json``) and the gazetteer are loaded once, at construction;
:meth:`Classifier.classify` reads no clock (``now`` is an argument) and does no I/O.
"""

from __future__ import annotations

from bot.classify.classifier import Classifier

__all__ = ["Classifier", "load_classifier"]


def load_classifier(threshold: float = 0.5) -> Classifier:
    """A classifier over the packaged gazetteer (``bot.geo.load_gazetteer``)."""
    from bot.geo import load_gazetteer

    return Classifier(load_gazetteer(), threshold=threshold)
