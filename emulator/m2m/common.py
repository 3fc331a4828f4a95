"""Pieces shared by the M2M endpoint modules."""

from __future__ import annotations


class M2MError(Exception):
    """An error answered in the M2M envelope."""

    def __init__(self, code: str, message: str, status: int = 200):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


class RawJson:
    """Data already serialised to JSON (scene-search pages are assembled from cached text)."""

    def __init__(self, text: str):
        self.text = text
