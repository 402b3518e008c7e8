"""One exception hierarchy: the CLI turns any MicroscoutError into one line and exit 2, the REST
API into one-line JSON with the class's `http_status`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


class MicroscoutError(Exception):
    """Base of every error a user can cause and fix."""

    http_status: ClassVar[int] = 400


class SettingsError(ValueError, MicroscoutError):
    """A setting (file, environment or flag) has a value microscout cannot use."""


class WorkspaceLockedError(MicroscoutError):
    """Another process (usually a running `microscout serve`) holds the workspace file."""


class WorkspaceError(MicroscoutError):
    """The workspace cannot be opened or is from an unknown schema version."""


class NotFoundError(LookupError, MicroscoutError):
    """What was asked for by name (an account, a shortlist) is not in the workspace."""

    http_status = 404


class NotAnalyzedError(MicroscoutError):
    """A read of data that has not been analyzed since it changed, where reads may not analyze (the
    server: writes are its jobs)."""

    http_status = 409


class AccountNotFoundError(NotFoundError):
    """An account reference names no account, or more than one."""


class StaffFileError(ValueError, MicroscoutError):
    """A staff list (platform, handle, name) cannot be read: the file, line, column and value say where."""


@dataclass(frozen=True)
class BundleProblem:
    """One problem in a bundle: where it is, what was found, what was expected."""

    file: str
    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        if self.column:
            return f"{where}: column {self.column}: {self.message}"
        return f"{where}: {self.message}"


class InvalidBundleError(ValueError, MicroscoutError):
    """A bundle breaks the format; carries every problem found (up to a limit), not just the first."""

    http_status = 422

    def __init__(self, problems: list[BundleProblem], truncated: bool = False) -> None:
        self.problems = problems
        self.truncated = truncated
        first = str(problems[0]) if problems else "invalid bundle"
        more = len(problems) - 1
        suffix = f" (and {more} more problem{'s' if more != 1 else ''}" if more else ""
        if more:
            suffix += ", perhaps more)" if truncated else ")"
        super().__init__(first + suffix)

    def report(self) -> str:
        lines = [str(p) for p in self.problems]
        if self.truncated:
            lines.append(f"... stopped after {len(self.problems)} problems")
        return "\n".join(lines)


class ConflictError(MicroscoutError):
    """An edit made against an old version of a record: someone else changed it in between."""

    http_status = 409
