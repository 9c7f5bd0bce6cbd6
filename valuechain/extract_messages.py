"""Which messages the code can ask for: a Babel extractor that reads Python's syntax tree (so keys inside
f-strings are found too), plus the keys built at run time where they are declared.

`python -m valuechain.extract_messages` writes the template `locales/messages.pot` (`make messages` then
updates each language from it); the message test asks the same question.
"""

import ast
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import write_po

from valuechain import catalog, dictionary, i18n

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"t": None, "tr": None, "N_": None}  # the functions whose literal first argument is a message key
SOURCES = ("valuechain", "ui", "views")
METHOD = [("**.py", "valuechain.extract_messages:extract")]


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else None


def extract(fileobj, keywords, comment_tags, options):
    """Yield (line, function, key, comments) for every call of a keyword function with a literal first argument."""
    tree = ast.parse(fileobj.read().decode(options.get("encoding", "utf-8")))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or _name(node.func) not in keywords or not node.args:
            continue
        first = node.args[0]
        candidates = [first.body, first.orelse] if isinstance(first, ast.IfExp) else [first]
        for arg in candidates:
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                yield node.lineno, _name(node.func), arg.value, []


def literal_keys() -> set[str]:
    """Every literal message key in the code."""
    keys = set()
    for folder in SOURCES:
        found = extract_from_dir(ROOT / folder, method_map=METHOD, keywords=KEYWORDS, comment_tags=())
        keys |= {key for _, _, key, _, _ in found}
    with open(ROOT / "dashboard.py", "rb") as f:
        keys |= {key for _, _, key, _ in extract(f, KEYWORDS, (), {})}
    return keys


def built_keys() -> set[str]:
    """The keys built at run time: message families, filter labels, column descriptions."""
    families = {f"{family}_{id_}" for family, ids in i18n.FAMILIES.items() for id_ in ids}
    return families | set(catalog.messages()) | set(dictionary.messages())


def asked() -> set[str]:
    """Every message the code can ask for."""
    return literal_keys() | built_keys()


def template() -> Catalog:
    """The template: every message the code can ask for, and the data values the default language translates."""
    out = Catalog(project="valuechain", version="1", charset="utf-8")
    for key in sorted(asked()):
        out.add(key)
    for key, context in sorted(i18n.messages(i18n.DEFAULT), key=lambda k: (k[1] or "", k[0])):
        if context == i18n.VALUE:
            out.add(key, context=context)
    return out


def main() -> int:
    target = ROOT / "locales" / "messages.pot"
    with open(target, "wb") as f:
        write_po(f, template(), width=120, omit_header=False, sort_output=True)
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
