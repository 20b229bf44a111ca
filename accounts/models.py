"""People: a custom user signed in by email, with at most one manager and a current title."""

import uuid

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import connection, models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.functional import cached_property

#: Writes to a person that change nothing a manager's team page shows.
QUIET_FIELDS = frozenset({"last_login", "password", "team_revision"})


class UserQuerySet(models.QuerySet):
    """Bulk writes to people move their managers' team revisions, as saves do (apps.py): the
    managers before and after, so a person moved to someone else leaves the first page too."""

    def update(self, **kwargs) -> int:
        if set(kwargs) <= QUIET_FIELDS:
            return super().update(**kwargs)
        before = set(self.values_list("manager_id", flat=True))
        changed = super().update(**kwargs)
        after = kwargs.get(
            "manager_id", getattr(kwargs.get("manager"), "pk", kwargs.get("manager"))
        )
        team_changed(*before, after)
        return changed

    def bulk_update(self, objs, fields, *args, **kwargs) -> int:
        objs = list(objs)
        changed = super().bulk_update(objs, fields, *args, **kwargs)
        if not set(fields) <= QUIET_FIELDS:
            before = (getattr(o, "_loaded_manager_id", None) for o in objs)
            team_changed(*before, *(o.manager_id for o in objs))
        return changed


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> "User":
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username: str) -> "User":
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    # Opaque id for URLs (a manager's link to a report); the integer pk never leaves the server.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField("email address", unique=True)
    name = models.CharField("full name", max_length=120, blank=True)
    manager = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        help_text="The person this user reports to. At most one.",
    )
    current_title = models.ForeignKey(
        "roles.Role",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="holders",
    )
    is_staff = models.BooleanField(
        "staff status", default=False, help_text="Can sign in to the admin site."
    )
    is_active = models.BooleanField("active", default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    # Moves with every change that shows on this person's team page (who reports to them,
    # those people's names and titles, their shared results and plan progress), in the
    # transaction that makes it: the page is drawn once per revision (team_changed below).
    team_revision = models.PositiveBigIntegerField(default=0, editable=False)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["name", "email"]
        constraints = [
            models.CheckConstraint(condition=~Q(manager=F("pk")), name="user_not_own_manager"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name or self.email

    @cached_property
    def has_reports(self) -> bool:
        """Whether anyone reports to this person now (read fresh on every request).

        Every signed-in page asks (for the navigation); a signed-in request has it already,
        from its session read (accounts.sessions, with the same SQL). Otherwise it is one
        plain indexed read rather than a query built through the ORM (ten times as long)."""
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {reports_exist_sql('%s')}", [self.pk, True])
            return bool(cursor.fetchone()[0])

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()


def reports_exist_sql(manager: str) -> str:
    """SQL that is true when an active person reports to ``manager`` (a column, or ``%s``
    for the manager's id as a parameter); its own parameter, after that one, is ``True``."""
    table = connection.ops.quote_name(User._meta.db_table)
    return f"EXISTS (SELECT 1 FROM {table} r WHERE r.manager_id = {manager} AND r.is_active = %s)"  # noqa: S608


def team_changed(*manager_ids) -> None:
    """The team pages of these people show something else now: move their team_revision."""
    ids = {pk for pk in manager_ids if pk}
    if ids:
        User.objects.filter(pk__in=ids).update(team_revision=F("team_revision") + 1)


def team_changed_for(person_id) -> None:
    """Something of this person that their manager's team page shows changed: one plain
    statement, whoever the manager is (as ``User.objects.filter(reports__pk=person_id)
    .update(team_revision=F("team_revision") + 1)``, which costs several times as long to build).
    Every submit and every change of plan progress calls it."""
    table = connection.ops.quote_name(User._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET team_revision = team_revision + 1 "  # noqa: S608 (our table)
            f"WHERE id = (SELECT manager_id FROM {table} WHERE id = %s)",
            [person_id],
        )


class Session(AbstractBaseSession):
    """A signed-in (or anonymous) browser session, stored with the id of its person.

    Django's own session table keeps the person only inside the signed data; with the id in
    its own column, the read that every request starts with brings the person along in the
    same query (accounts.sessions), and deleting a person deletes their sessions with them.
    """

    # No database constraint: a request still running for a person deleted meanwhile may
    # save its session (its last-seen time) without failing; the row then names nobody.
    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sessions",
        db_constraint=False,
    )

    class Meta(AbstractBaseSession.Meta):
        db_table = "accounts_session"

    @classmethod
    def get_session_store_class(cls):
        from accounts.sessions import SessionStore

        return SessionStore
