"""`python -m bench`: performance comparisons printed as a table.

Each section is a module that registers itself in SECTIONS; `python -m bench
roster` runs one section, `--rows N` scales the data down for a quick run.
"""

from collections.abc import Callable

# name → callable(rows: int) returning (title, header, rows of the table, notes)
SECTIONS: dict[str, Callable[[int], tuple[str, list[str], list[list[str]], list[str]]]] = {}


def register(name: str):
    def decorate(function):
        SECTIONS[name] = function
        return function

    return decorate
