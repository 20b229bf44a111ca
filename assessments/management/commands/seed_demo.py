"""A demo organisation for `make run`: idempotent, so running it twice duplicates nothing."""

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import User
from roles.models import Role

DEMO_PASSWORD = "trajectory-demo"  # noqa: S105 (printed for the demo on purpose)

ADMIN = ("admin@example.com", "Ada Admin")
MANAGER = ("maya@example.com", "Maya Manager", "director-of-pm")
REPORTS = [
    ("priya@example.com", "Priya Patel", "senior-pm"),
    ("tom@example.com", "Tom Becker", "product-manager"),
    ("lena@example.com", "Lena Novak", "associate-pm"),
    ("omar@example.com", "Omar Haddad", "principal-pm"),
    ("grace@example.com", "Grace Kim", "manager-of-pm"),
    ("jonas@example.com", "Jonas Berg", "senior-pm"),
    ("sofia@example.com", "Sofia Rossi", "product-manager"),
    ("kwame@example.com", "Kwame Mensah", "senior-pm"),
    ("ines@example.com", "Inès Moreau", "product-manager"),
]
SOLO = ("sam@example.com", "Sam Solo", "product-manager")


class Command(BaseCommand):
    help = "Create the demo organisation (safe to run again: it changes nothing the second time)."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        titles = {role.slug: role for role in Role.objects.all()}
        admin = self._user(*ADMIN, None, is_staff=True, is_superuser=True)
        manager = self._user(*MANAGER[:2], titles.get(MANAGER[2]))
        for email, name, title in REPORTS:
            self._user(email, name, titles.get(title), manager=manager)
        self._user(*SOLO[:2], titles.get(SOLO[2]))
        self.stdout.write(
            self.style.SUCCESS("Demo organisation ready. Sign in at http://127.0.0.1:8000/ with:")
        )
        rows = [
            ("Admin (catalog, people)", admin.email),
            ("Manager with 9 reports", manager.email),
            ("PM reporting to Maya", REPORTS[0][0]),
            ("PM without a manager", SOLO[0]),
        ]
        for label, email in rows:
            self.stdout.write(f"  {label:<26} {email:<22} password: {DEMO_PASSWORD}")

    def _user(self, email, name, title, manager=None, **flags) -> User:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email,
                password=DEMO_PASSWORD,
                name=name,
                current_title=title,
                manager=manager,
                **flags,
            )
        return user
