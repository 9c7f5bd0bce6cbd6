"""Input problems reported as `FILE:LINE: column 'x': reason` lines, never as tracebacks.

The loader words its reasons in English (the command line's language); `render` gives the same line
in Spanish for the app, with the file named as the user knows it.
"""

import re
from dataclasses import dataclass, replace
from functools import cache

from valuechain.i18n import N_, t

MAX_LINES = 50
# The loader's reasons: messages whose English text is what the loader writes (named placeholders for the
# parts it fills in); other languages match a reason against that text and fill in their own wording.
REASONS = (
    N_("reason_required"),
    N_("reason_column_missing"),
    N_("reason_unknown_tier"),
    N_("reason_unknown_cluster"),
    N_("reason_unknown_fixed_cluster"),
    N_("reason_other_cluster"),
    N_("reason_not_your_cluster"),
    N_("reason_kept_other_clusters"),
    N_("reason_state_code"),
    N_("reason_not_number"),
    N_("reason_outside_mexico"),
    N_("reason_lat_lon_together"),
    N_("reason_yes_no"),
    N_("reason_scian"),
    N_("reason_municipality_code"),
    N_("reason_duplicate_id"),
    N_("reason_unknown_process"),
    N_("reason_id_in_two_files"),
    N_("reason_empty"),
    N_("reason_not_found"),
    N_("reason_no_rows"),
    N_("reason_looks_like"),
    N_("reason_extension"),
    N_("reason_not_csv"),
    N_("reason_not_xlsx"),
    N_("reason_malformed"),
    N_("reason_negative"),
    N_("reason_iso"),
    N_("reason_true_false"),
    N_("reason_category"),
    N_("reason_percentage"),
    N_("reason_choice"),
    N_("reason_no_member_named"),
    N_("reason_unknown_member"),
    N_("reason_name_matches"),
    N_("reason_not_month"),
    N_("reason_not_whole"),
    N_("reason_quits_exceed"),
    N_("reason_given_twice"),
    N_("reason_reference_missing"),
    N_("reason_kept_same_name"),
)


@cache
def _patterns() -> list[tuple[re.Pattern, str]]:
    """Each reason's English text as a pattern, its placeholders captured by name."""
    out = []
    for key in REASONS:
        pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>.+)", re.escape(t(key, "en")))
        out.append((re.compile(pattern), key))
    return out


def reason_in(reason: str, lang: str) -> str:
    """A loader reason in `lang` (as written when no message matches it)."""
    if lang == "en":
        return reason
    for pattern, key in _patterns():
        match = pattern.fullmatch(reason)
        if match:
            return t(key, lang, **match.groupdict())
    return reason


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file; line 0 means the file as a whole."""

    file: str
    line: int
    column: str | None
    reason: str

    def __str__(self) -> str:
        return self.render("en")

    def render(self, lang: str = "en") -> str:
        """`FILE:LINE: column 'x': reason`, or in Spanish `FILE:LINE: columna 'x': motivo`."""
        where = f"{self.file}:{self.line}" if self.line else self.file
        col = f" {t('problem_column', lang)} '{self.column}':" if self.column else ""
        return f"{where}:{col} {reason_in(self.reason, lang)}"


class InputError(Exception):
    """Raised when an input file is refused; carries every problem found (and the total)."""

    def __init__(self, problems: list[Problem], total: int | None = None):
        self.problems = problems
        self.total = total if total is not None else len(problems)
        super().__init__("\n".join(str(p) for p in problems[:3]))

    def lines(self, lang: str = "en", file: str | None = None) -> list[str]:
        """At most MAX_LINES problem lines (the file named `file` when given), then a count of the rest."""
        shown = [replace(p, file=file) if file else p for p in self.problems[:MAX_LINES]]
        out = [p.render(lang) for p in shown]
        if self.total > MAX_LINES:
            out.append(t("problem_more", lang, rest=self.total - MAX_LINES, total=self.total))
        return out


def refuse(file: str, reason: str, line: int = 1, column: str | None = None) -> InputError:
    """An InputError with a single problem."""
    return InputError([Problem(file, line, column, reason)])
