from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from guozi.core.changes import COMMAND
from guozi.core.choices import SecurityLabel
from guozi.core.models import User
from guozi.core.services import labels

#: Labels by their codes and their Chinese names: public/公开, internal/内部, sensitive/敏感.
LABELS = {c.name.lower(): c for c in SecurityLabel}
NAMES = {"公开": SecurityLabel.PUBLIC, "内部": SecurityLabel.INTERNAL, "敏感": SecurityLabel.SENSITIVE}


def _label(value: str) -> SecurityLabel:
    # Not `or`: PUBLIC is 0, which is falsy.
    found = NAMES[value] if value in NAMES else LABELS.get(value.lower())
    if found is None:
        raise CommandError(f"unknown label {value!r}: use 公开, 内部 or 敏感 (public, internal, sensitive)")
    return found


class Command(BaseCommand):
    help = "Security labels (安全标记): label a record or set a user's clearance; security administrator only."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        record = commands.add_parser("set", help="Label a record: guozi label set core.attachment 12 敏感")
        record.add_argument("model", help="app_label.model, e.g. core.attachment or reports.generatedreport")
        record.add_argument("pk", type=int)
        record.add_argument("label")
        record.add_argument("--actor", required=True)
        clearance = commands.add_parser("clearance", help="A user's clearance: guozi label clearance chengfa 敏感")
        clearance.add_argument("username")
        clearance.add_argument("label")
        clearance.add_argument("--actor", required=True)

    def handle(self, *args: Any, action: str, label: str, actor: str, **options: Any) -> None:
        acting = User.objects.filter(username__iexact=actor).first()
        if acting is None:
            raise CommandError(f"no user {actor}")
        wanted = _label(label)
        try:
            if action == "set":
                model = apps.get_model(options["model"])
                instance = model._base_manager.filter(pk=options["pk"]).first()
                if instance is None:
                    raise CommandError(f"no {options['model']} #{options['pk']}")
                labels.label_set(actor=acting, origin=COMMAND, instance=instance, label=wanted)
                self.stdout.write(f"{options['model']} #{options['pk']}: {wanted.label}")
            else:
                user = User.objects.filter(username__iexact=options["username"]).first()
                if user is None:
                    raise CommandError(f"no user {options['username']}")
                labels.clearance_set(actor=acting, origin=COMMAND, user=user, clearance=wanted)
                self.stdout.write(f"{user.username}: clearance {wanted.label}")
        except (PermissionDenied, ValidationError) as refused:
            raise CommandError(str(refused)) from refused
