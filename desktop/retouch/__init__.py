"""Retouch: quick AI image edits with a painted mask."""

__version__ = "0.1.0"
