"""Clustering (pure): cluster · merge · fingerprint."""
