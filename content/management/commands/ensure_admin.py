import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

LOGIN_FILE = settings.DATA_DIR / "admin-login.txt"


class Command(BaseCommand):
    help = "Create the admin user on the first run, with a generated password; print the login."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username: str, **options) -> None:
        User = get_user_model()
        if not User.objects.filter(username=username).exists():
            password = secrets.token_urlsafe(12)
            User.objects.create_superuser(username, f"{username}@example.com", password)
            LOGIN_FILE.parent.mkdir(parents=True, exist_ok=True)
            LOGIN_FILE.write_text(f"{username}\n{password}\n")
            LOGIN_FILE.chmod(0o600)
            self.stdout.write(self.style.SUCCESS("Created the admin user."))
        if LOGIN_FILE.exists():
            saved_user, password = LOGIN_FILE.read_text().split()[:2]
            self.stdout.write(
                f"Admin login: {settings.SITE_URL}/admin/  user: {saved_user}  "
                f"password: {password}  (kept in {LOGIN_FILE})"
            )
        else:
            self.stdout.write(
                f"The user {username!r} already exists; its password was not set here."
            )
