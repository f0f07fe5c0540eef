from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from guozi.core import install


class Command(BaseCommand):
    help = (
        "A new installation's three administrators and its top organisation "
        "(`guozi install --organization 咸宁市人民政府 --short-name 市政府 --region 咸宁市`); "
        "`guozi install --roles` updates the standard roles after an upgrade."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--roles", action="store_true", help="Only bring the standard roles up to date.")
        parser.add_argument("--organization", help="The top organisation's full name.")
        parser.add_argument("--short-name", help="Its short name.")
        parser.add_argument("--region", default="", help="Its region (咸宁市).")
        for code, name in install.ADMINISTRATORS:
            parser.add_argument(f"--{code}", default=code, help=f"The {name}'s username (default {code}).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["roles"]:
            roles = install.update_roles()
            self.stdout.write(f"{len(roles)} standard roles up to date")
            return
        if not options["organization"] or not options["short_name"]:
            raise CommandError("--organization and --short-name are needed for a new installation")
        usernames = {code: options[code] for code, _ in install.ADMINISTRATORS}
        try:
            accounts = install.install(
                organization=options["organization"],
                short_name=options["short_name"],
                region=options["region"],
                usernames=usernames,
            )
        except install.InstallRefused as refused:
            raise CommandError(str(refused)) from refused
        self.stdout.write("The three administrators (initial passwords, shown once; each is changed at first sign-in):")
        for account in accounts:
            self.stdout.write(f"  {account.role:<9} {account.username:<16} {account.initial_password}")
