import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from roles.quality import quality_problems
from roles.services import SHIPPED_CATALOG, catalog_import
from roles.validation import CatalogInvalid


class Command(BaseCommand):
    help = (
        "Create or update the role catalog from a JSON file in format version 2 (all or "
        "nothing). Problems that stop the import are printed with where they are; the "
        "catalog check's other findings are printed as warnings."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file",
            nargs="?",
            default=str(SHIPPED_CATALOG),
            help="Catalog JSON file (default: the shipped catalog).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Validate and report; change nothing."
        )

    def handle(self, *args, file: str, dry_run: bool, **options) -> None:
        path = Path(file)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise CommandError(f"{path}: no such file") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"{path}: not UTF-8 text ({exc.reason})") from exc
        except json.JSONDecodeError as exc:
            raise CommandError(
                f"{path}: not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
            ) from exc
        try:
            report = catalog_import(data=data, dry_run=dry_run)
        except CatalogInvalid as exc:
            for problem in exc.problems:
                self.stderr.write(f"{path}: {problem}")
            raise CommandError(
                f"{len(exc.problems)} problem(s) found; nothing was changed."
            ) from exc
        # The import has refused any problem that stops it; what is left are warnings.
        for problem in quality_problems(data):
            self.stderr.write(self.style.WARNING(f"catalog check: {problem}"))
        prefix = "Dry run, nothing saved. " if dry_run else ""
        self.stdout.write(self.style.SUCCESS(prefix + report.summary()))
