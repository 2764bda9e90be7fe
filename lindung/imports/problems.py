"""Why a row, or one of its values, cannot be used."""

from __future__ import annotations


class RowProblem(Exception):
    """A value a row cannot use: which field, a machine code and the sentence."""

    def __init__(self, field: str, code: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.code = code
        self.message = message

    def __reduce__(self):
        # Sent from the reader process with its row (readahead); Exception would rebuild it
        # from the message alone.
        return (RowProblem, (self.field, self.code, self.message))

    def kept(self) -> RowProblem:
        """This problem without its traceback and the error it replaced, to be kept with its
        row: both lead back to frames that hold the row, a reference cycle per rejected row
        that only the cycle collector frees (and an import pauses it)."""
        self.__traceback__ = self.__context__ = self.__cause__ = None
        return self
