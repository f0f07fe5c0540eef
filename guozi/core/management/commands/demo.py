from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from guozi.core import demo


class Command(BaseCommand):
    help = "Set up the demo database (migrate, load the reference report's data if empty) and serve it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--no-serve", action="store_true", help="Set up and print the accounts, but do not serve.")

    def handle(self, *args: Any, port: int, host: str, no_serve: bool, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        if demo.is_loaded():
            self.stdout.write("Database already has data; demo data not loaded again.")
        else:
            demo.load()
            self.stdout.write("Demo data loaded.")
        password = settings.DEMO_PASSWORD
        self.stdout.write(f"\nDemo accounts (password {password}):")
        for account in demo.ACCOUNTS:
            self.stdout.write(f"  {account.username:<10} {account.what}")
        if no_serve:
            return
        self.stdout.write(f"\nGuozi demo: http://{host}:{port}/  (Ctrl+C to stop)\n")
        call_command("runserver", f"{host}:{port}", use_reloader=False, use_threading=True)
