"""`manage.py import_org FILE.csv`: set reporting lines in bulk (all or nothing)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.services import OrgFileInvalid, org_rows_parse, reporting_lines_import


class Command(BaseCommand):
    help = (
        "Set reporting lines from a CSV file with a header row and the columns "
        "email,manager_email (an empty manager_email clears the manager). The file is checked "
        "as a whole: if any row has a problem, nothing changes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="CSV file: email,manager_email")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report; change nothing."
        )

    def handle(self, *args, file: Path, dry_run: bool, **options) -> None:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        try:
            result = reporting_lines_import(rows=org_rows_parse(text), dry_run=dry_run)
        except OrgFileInvalid as exc:
            raise CommandError(
                "Nothing was changed. Fix these rows and run the import again:\n"
                + "\n".join(f"  {problem}" for problem in exc.problems)
            ) from exc
        for email, before, after in result.changed:
            self.stdout.write(f"  {email}: {before or '(no manager)'} → {after or '(no manager)'}")
        prefix = "Dry run, nothing saved: " if dry_run else ""
        self.stdout.write(self.style.SUCCESS(prefix + result.summary))
