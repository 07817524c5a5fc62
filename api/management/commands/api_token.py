"""`api_token create USERNAME [--name NAME] [--read-only]` prints a new token once;
`api_token list` shows them; `api_token revoke ID` ends one (the admin does both too)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from api.models import ApiToken


class Command(BaseCommand):
    help = "Create, list or revoke API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Print a new token for USERNAME, once.")
        create.add_argument("username")
        create.add_argument("--name", default="", help="What will use it, e.g. 'laptop'.")
        create.add_argument("--read-only", action="store_true", help="It may read, not write.")
        actions.add_parser("list", help="Every token, with its last use.")
        revoke = actions.add_parser("revoke", help="Revoke the token with this id.")
        revoke.add_argument("id", type=int)

    def handle(self, *args, action: str, **options) -> None:
        getattr(self, action)(**options)

    def create(self, username: str, name: str, read_only: bool, **options) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user {username!r}.")
        if not user.is_active:
            raise CommandError(f"{username} is inactive: a token of theirs would not work.")
        name = name or f"{username}'s token"
        token, secret = ApiToken.issue(user, name=name, read_only=read_only)
        scope = "read-only" if read_only else "read and write"
        self.stderr.write(f"Token {token.pk} “{name}” for {username} ({scope}). It is shown once:")
        self.stdout.write(secret)

    def list(self, **options) -> None:
        tokens = ApiToken.objects.select_related("user")
        if not tokens:
            self.stdout.write("No tokens.")
        for token in tokens:
            state = "revoked" if token.is_revoked else "read-only" if token.read_only else "write"
            used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
            self.stdout.write(
                f"{token.pk:>4}  {token.prefix}…  {token.user.get_username():<12} {state:<9} "
                f"last used {used}  {token.name}"
            )

    def revoke(self, id: int, **options) -> None:
        count = ApiToken.objects.filter(pk=id, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if not count:
            raise CommandError(f"No active token has id {id}.")
        self.stdout.write(f"Revoked token {id}.")
