from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.forms.models import model_to_dict

from guozi.core.changes import COMMAND
from guozi.core.models import User
from guozi.core.views.generic import REGISTRY


class Command(BaseCommand):
    help = (
        "Change fields of one record through its service, recorded as the acting user. "
        "Example: guozi edit core.Organization 5 --actor guoziwei --set region=咸安区"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("model", help="app_label.ModelName, e.g. core.Organization")
        parser.add_argument("pk", type=int)
        parser.add_argument("--actor", required=True, help="Username the change is recorded under.")
        parser.add_argument("--set", dest="values", action="append", default=[], metavar="FIELD=VALUE")

    def handle(self, *args: Any, model: str, pk: int, actor: str, values: list[str], **options: Any) -> None:
        import guozi.urls  # noqa: F401  (loads every app's page declarations into REGISTRY)

        try:
            model_class = apps.get_model(model)
        except (LookupError, ValueError) as exc:
            raise CommandError(f"unknown model {model!r}") from exc
        views = REGISTRY.get(model_class)
        if views is None or views.update is None or views.form is None:
            raise CommandError(f"{model} cannot be edited")
        acting = User.objects.filter(username__iexact=actor, is_active=True).first()
        if acting is None:
            raise CommandError(f"no active user {actor!r}")
        obj = model_class.objects.restrict(acting, "change").filter(pk=pk).first()
        if obj is None:
            raise CommandError(f"{model} {pk} not found for {actor}")
        changes = dict(value.split("=", 1) for value in values if "=" in value)
        if len(changes) != len(values):
            raise CommandError("each --set takes FIELD=VALUE")
        form_class = views.form
        # The version read here: a save by someone else before this one is refused, not overwritten.
        data = {
            **model_to_dict(obj, fields=form_class._meta.fields),
            "version": getattr(obj, "version", None),
            **changes,
        }
        form = form_class(data=data, instance=obj, user=acting)  # type: ignore[call-arg]
        if not form.is_valid():
            problems = [f"{field}: {' '.join(map(str, errors))}" for field, errors in form.errors.items()]
            raise CommandError("; ".join(problems))
        fresh = model_class._default_manager.get(pk=pk)
        try:
            views.update(actor=acting, origin=COMMAND, data=form.cleaned_data, **{views.model_name(): fresh})
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(f"updated {model} {pk} as {acting.username}")
