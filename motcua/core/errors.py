"""Errors that services raise and every interface (CLI, API, pages) turns into a clear message."""

from __future__ import annotations

from dataclasses import dataclass, field


class MotcuaError(Exception):
    """Base class: a problem the user can understand and fix."""


class PermissionDenied(MotcuaError):
    pass


class NotFound(MotcuaError):
    pass


class IllegalTransition(MotcuaError):
    """An action that the workflow does not allow from the dossier's current state."""


@dataclass
class RowError:
    row: int  # 1-based line number in the file, the header being line 1
    column: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row else "file"
        if self.column:
            where += f", column '{self.column}'"
        return f"{where}: {self.message}"


@dataclass
class ImportFailed(MotcuaError):
    """A file was rejected as a whole; every problem found is listed."""

    errors: list[RowError] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)
