"""Input problems reported as `FILE:LINE: column 'x': reason` lines, never as tracebacks."""

from dataclasses import dataclass

MAX_LINES = 50


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file; line 0 means the file as a whole."""

    file: str
    line: int
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        col = f" column '{self.column}':" if self.column else ""
        return f"{where}:{col} {self.reason}"


class InputError(Exception):
    """Raised when an input file is refused; carries every problem found (and the total)."""

    def __init__(self, problems: list[Problem], total: int | None = None):
        self.problems = problems
        self.total = total if total is not None else len(problems)
        super().__init__("\n".join(str(p) for p in problems[:3]))

    def lines(self) -> list[str]:
        """At most MAX_LINES problem lines, then a count of the rest."""
        out = [str(p) for p in self.problems[:MAX_LINES]]
        if self.total > MAX_LINES:
            out.append(f"... and {self.total - MAX_LINES} more problems ({self.total} in all)")
        return out


def refuse(file: str, reason: str, line: int = 1, column: str | None = None) -> InputError:
    """An InputError with a single problem."""
    return InputError([Problem(file, line, column, reason)])
