from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from guozi.core.changes import COMMAND
from guozi.core.models import User
from guozi.supervision.models import Plan
from guozi.supervision.services.task_import import task_list_check, task_list_import


class Command(BaseCommand):
    help = "Load a year's task list (序号, 任务内容, 牵头单位, 配合单位, 完成时限) into a plan: upsert, never delete."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--plan", type=int, required=True, help="The plan's id.")
        parser.add_argument("--actor", required=True, help="The supervision-office user the import acts as.")
        parser.add_argument("--dry-run", action="store_true", help="Check and count; write nothing.")

    def handle(self, *args: Any, file: str, plan: int, actor: str, dry_run: bool, **options: Any) -> None:
        acting = User.objects.filter(username__iexact=actor, is_active=True).first()
        if acting is None:
            raise CommandError(f"no active user {actor!r}")
        target = Plan.objects.restrict(acting, "view").filter(pk=plan).first()
        if target is None:
            raise CommandError(f"plan {plan} not found for {actor}")
        path = Path(file)
        content = path.read_bytes()
        if dry_run:
            check = task_list_check(actor=acting, plan=target, file_name=path.name, content=content)
        else:
            check = task_list_import(actor=acting, origin=COMMAND, plan=target, file_name=path.name, content=content)
        for error in check.errors:
            self.stderr.write(f"row {error.row} {error.column} {error.value!r}: {error.reason}")
        self.stdout.write(
            f"{'dry run: ' if dry_run else ''}{check.creates} to create, {check.updates} to update, "
            f"{check.unchanged} unchanged, {len(check.errors)} error(s){'; imported' if check.imported else ''}"
        )
        if check.errors:
            raise CommandError("nothing was written")
