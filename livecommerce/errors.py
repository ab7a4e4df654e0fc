"""Exceptions raised by livecommerce: one base class, a few a user can catch."""

__all__ = [
    "DataError",
    "LivecommerceError",
    "NotebookError",
    "OutputError",
    "ParameterError",
    "RegionError",
    "SchemeError",
]


class LivecommerceError(Exception):
    """Base class of every error the package raises on purpose."""


class DataError(LivecommerceError, ValueError):
    """A data file or frame is malformed; the message names file, line, column or region."""


class RegionError(DataError, KeyError):
    """A region name or id is unknown or ambiguous; the message suggests close names."""

    def __str__(self):  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class SchemeError(DataError):
    """A scheme file does not describe a valid index tree; the message names the file and node."""


class ParameterError(LivecommerceError, ValueError):
    """A function argument is out of its domain; the message names the parameter."""


class NotebookError(LivecommerceError):
    """A chapter notebook failed while the report ran; the message names it and the error it raised."""


class OutputError(LivecommerceError):
    """An output path cannot be written: it holds what the package did not write, is an input, is in use by
    another run, is read-only or the disk is full; the message names it, and nothing was changed."""
