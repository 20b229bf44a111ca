"""Write the whole database to a JSON file that `manage.py restore` reads back."""

import gzip
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

# Rebuilt by `migrate` on the target (content types, permissions) or short-lived (sessions,
# the throttling cache); everything else is backed up.
EXCLUDE = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "accounts.session",
    "admin.logentry",
]


def dump() -> str:
    out = StringIO()
    call_command(
        "dumpdata",
        natural_foreign=True,
        natural_primary=True,
        exclude=EXCLUDE,
        indent=1,
        stdout=out,
    )
    return out.getvalue()


class Command(BaseCommand):
    help = "Back up every table to FILE (JSON; gzip-compressed when FILE ends in .gz)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Where to write; - for standard output.")

    def handle(self, *args, file: str, **options) -> None:
        data = dump()
        if file == "-":
            self.stdout.write(data, ending="")
            return
        path = Path(file)
        if path.suffix == ".gz":
            with gzip.open(path, "wt", encoding="utf-8") as handle:
                handle.write(data)
        else:
            path.write_text(data, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Backed up to {path} ({len(data):,} characters)."))
