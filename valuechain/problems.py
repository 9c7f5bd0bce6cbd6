"""Input problems reported as `FILE:LINE: column 'x': reason` lines, never as tracebacks.

The loader words its reasons in English (the command line's language); `render` gives the same line
in Spanish for the app, with the file named as the user knows it.
"""

import re
from dataclasses import dataclass, replace

MAX_LINES = 50
# The loader's reasons, as patterns, and their Spanish wording ({0}, {1}: the captured parts).
SPANISH = (
    (r"value is required", "el valor es obligatorio"),
    (r"required column is missing", "falta esta columna obligatoria"),
    (r"unknown tier (.+) \(expected (.+)\)", "nivel desconocido {0} (se esperaba {1})"),
    (
        r"unknown cluster (.+) \(an id, short name or name; known: (.+)\)",
        "clúster desconocido {0} (un id, nombre corto o nombre; conocidos: {1})",
    ),
    (r"unknown cluster (.+) given with --cluster", "clúster desconocido {0} indicado para todas las filas"),
    (
        r"a member of cluster (.+): you load members of cluster (.+) only",
        "un socio del clúster {0}: usted carga socios del clúster {1} solamente",
    ),
    (
        r"cluster (.+) is not yours: you load members of cluster (.+) only",
        "el clúster {0} no es el suyo: usted carga socios del clúster {1} solamente",
    ),
    (
        r"a kept file named (.+) holds members of other clusters; give your file another name",
        "un archivo guardado llamado {0} tiene socios de otros clústeres; dé otro nombre a su archivo",
    ),
    (r"(.+) is not a state code 01–32", "{0} no es una clave de estado 01–32"),
    (r"(.+) is not a number", "{0} no es un número"),
    (r"(.+) is outside Mexico \((.+) to (.+)\)", "{0} queda fuera de México ({1} a {2})"),
    (r"latitude and longitude must be given together", "latitud y longitud deben darse juntas"),
    (r"(.+) is not yes/no or true/false", "{0} no es sí/no ni true/false"),
    (r"(.+) is not a 6-digit SCIAN class", "{0} no es una clase SCIAN de 6 dígitos"),
    (r"(.+) is not a municipality code 001–999", "{0} no es una clave de municipio 001–999"),
    (r"duplicate id (.+) \(first on line (\d+)\)", "id duplicado {0} (aparece antes en la línea {1})"),
    (r"unknown process (.+) \(see the processes table\)", "proceso desconocido {0} (vea la tabla de procesos)"),
    (r"id (.+) appears in more than one file", "el id {0} aparece en más de un archivo"),
    (r"file is empty", "el archivo está vacío"),
    (r"file not found", "no se encontró el archivo"),
    (r"file has a header but no data rows", "el archivo tiene encabezado pero ninguna fila de datos"),
    (r"not a CSV or XLSX file: it looks like (.+)", "no es un archivo CSV ni XLSX: parece {0}"),
    (r"not a CSV or XLSX file \(extension (.+)\)", "no es un archivo CSV ni XLSX (extensión {0})"),
    (r"could not be read as CSV \((.+)\)", "no se pudo leer como CSV ({0})"),
    (r"not a readable XLSX workbook \((.+)\)", "no es un libro XLSX legible ({0})"),
    (r"malformed row: (.+)", "fila mal formada: {0}"),
    (r"(.+) is negative", "{0} es negativo"),
    (
        r"(.+) is not an ISO 3166 alpha-2 code \(XX: undetermined\)",
        "{0} no es un código ISO 3166 alfa-2 (XX: indeterminado)",
    ),
    (r"(.+) is not true or false", "{0} no es verdadero ni falso"),
    (
        r"unknown category (.+) \(core, principal, complementary or other\)",
        "categoría desconocida {0} (core, principal, complementary u other)",
    ),
    (r"(.+) is not a percentage 0–100", "{0} no es un porcentaje 0–100"),
)


def reason_in(reason: str, lang: str) -> str:
    """A loader reason in `lang` (English as written; Spanish from the table above)."""
    if lang == "en":
        return reason
    for pattern, spanish in SPANISH:
        match = re.fullmatch(pattern, reason)
        if match:
            return spanish.format(*match.groups())
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
        col = f" {'columna' if lang == 'es' else 'column'} '{self.column}':" if self.column else ""
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
            rest = self.total - MAX_LINES
            more = "... y {} problemas más ({} en total)" if lang == "es" else "... and {} more problems ({} in all)"
            out.append(more.format(rest, self.total))
        return out


def refuse(file: str, reason: str, line: int = 1, column: str | None = None) -> InputError:
    """An InputError with a single problem."""
    return InputError([Problem(file, line, column, reason)])
