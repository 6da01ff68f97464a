"""Chat use cases: what handlers call; plain replies, no PTB types."""
