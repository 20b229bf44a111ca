"""People: a custom user signed in by email, with at most one manager and a current title."""

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.module_loading import import_string


class UserManager(BaseUserManager):
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
        """Whether an active person reports to this one, as of the first time it is asked.

        Read once per instance; a request loads its person afresh, so every request reads it
        anew (every signed-in page asks, for the navigation)."""
        return self.reports.filter(is_active=True).exists()

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()


class Session(AbstractBaseSession):
    """A signed-in (or anonymous) browser session, stored with the id of its person.

    Django's own session table keeps the person only inside the signed data; with the id in
    a column of its own (filled by ``accounts.sessions.SessionStore``), deleting a person
    deletes their sessions with them.
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
        """The configured engine's store (``accounts.sessions``, whose model this is).

        Found by name, as Django's session middleware finds it: the store's module imports
        this one, so importing it here would make an import circle."""
        return import_string(f"{settings.SESSION_ENGINE}.SessionStore")
