import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from roles.services import SHIPPED_CATALOG
from roles.wording import RUN, shared_runs


class Command(BaseCommand):
    help = (
        f"Check that a catalog file shares no run of {RUN} words with a source text (the "
        "article the catalog's facts come from): the catalog must be in our own words."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="The source text (a plain-text file).")
        parser.add_argument(
            "--catalog", default=str(SHIPPED_CATALOG), help="Catalog JSON (the shipped one)."
        )

    def handle(self, *args, source: str, catalog: str, **options) -> None:
        try:
            text = Path(source).read_text(encoding="utf-8")
            data = json.loads(Path(catalog).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        found = shared_runs(data, text)
        for where, run in found:
            self.stderr.write(f"{where}: shares “{run}”")
        if found:
            raise CommandError(f"{len(found)} run(s) of {RUN} words shared with {source}.")
        self.stdout.write(self.style.SUCCESS(f"No run of {RUN} words shared with {source}."))
