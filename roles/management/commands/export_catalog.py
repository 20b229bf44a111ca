import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from roles.services import catalog_export


class Command(BaseCommand):
    help = (
        "Write the whole role catalog as JSON (format version 2) to FILE (or standard "
        "output); import_catalog reads it back."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="Output file (default: standard output).")

    def handle(self, *args, file: str | None, **options) -> None:
        text = json.dumps(catalog_export(), indent=2, ensure_ascii=False) + "\n"
        if file:
            Path(file).write_text(text, encoding="utf-8")
            self.stderr.write(self.style.SUCCESS(f"Catalog written to {file}."))
        else:
            sys.stdout.write(text)
