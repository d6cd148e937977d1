"""argparse in bokmål: help headings, ``-h`` and the usual error messages.

Python's argparse prints English ("usage:", "options:", "invalid choice") and ships no
Norwegian translation, so the command lines (``python -m data_sources``, ``python -m
projections``) would mix languages. This parser keeps argparse's behaviour and only changes
the words; it lives in the lowest layer so both command lines can use it.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import Any, NoReturn

TYPE_NAMES = {"int": "heltall", "float": "tall"}
# (pattern on argparse's English message, bokmål replacement)
MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"^the following arguments are required: (.*)$", r"disse argumentene mangler: \1"),
        (r"^one of the arguments (.*) is required$", r"ett av argumentene \1 må oppgis"),
        (r"^argument (.*): not allowed with argument (.*)$", r"\1 kan ikke brukes sammen med \2"),
        (r"^unrecognized arguments: (.*)$", r"ukjente argumenter: \1"),
        (
            r"^argument (.*): invalid choice: (.*) \(choose from (.*)\)$",
            r"\1: ugyldig valg \2 (velg blant \3)",
        ),
        (r"^argument (.*): expected one argument$", r"\1 trenger en verdi"),
        (r"^argument (.*): ignored explicit argument (.*)$", r"\1 tar ingen verdi (fikk \2)"),
        (r"^ambiguous option: (.*) could match (.*)$", r"tvetydig valg: \1 kan bety \2"),
    )
)
INVALID_VALUE = re.compile(r"^argument (.*): invalid (\w+) value: (.*)$")


def translate(message: str) -> str:
    """argparse's English error text in bokmål (unknown messages are kept as they are)."""
    m = INVALID_VALUE.match(message)
    if m:
        kind = TYPE_NAMES.get(m.group(2), m.group(2))
        return f"{m.group(1)}: ugyldig verdi {m.group(3)} (må være {kind})"
    for pattern, repl in MESSAGES:
        if pattern.match(message):
            return pattern.sub(repl, message)
    return message


class NorskHelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, prefix if prefix is not None else "bruk: ")


class NorskArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose own texts are in bokmål (subcommand parsers inherit it)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", NorskHelpFormatter)
        add_help = kwargs.pop("add_help", True)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "argumenter"
        self._optionals.title = "valg"
        if add_help:
            self.add_argument(
                "-h", "--help", action="help", help="vis denne hjelpeteksten og avslutt"
            )

    def error(self, message: str) -> NoReturn:
        """One usage line and one Norwegian error line on stderr, exit code 2."""
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: feil: {translate(message)}\n")
