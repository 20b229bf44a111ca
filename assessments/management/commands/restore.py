"""Load a `manage.py backup` file into an empty, migrated database: all or nothing."""

import gzip
import shutil
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from accounts.models import User
from roles.models import Skill


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` into an empty, migrated database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")

    def handle(self, *args, file: str, **options) -> None:
        path = Path(file)
        if not path.exists():
            raise CommandError(f"{path}: no such file")
        if User.objects.exists() or Skill.objects.exists():
            raise CommandError(
                "This database already holds data. Restore into an empty database: create "
                "it, run `manage.py migrate`, then `manage.py restore FILE`."
            )
        with tempfile.TemporaryDirectory() as tmp:
            plain = Path(tmp) / "backup.json"
            if path.suffix == ".gz":
                with gzip.open(path, "rb") as src, plain.open("wb") as dst:
                    shutil.copyfileobj(src, dst)
            else:
                shutil.copyfile(path, plain)
            with transaction.atomic():
                call_command("loaddata", str(plain), verbosity=0)
        self.stdout.write(self.style.SUCCESS(f"Restored {path}."))
