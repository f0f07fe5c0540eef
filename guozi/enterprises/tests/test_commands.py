import pytest
from django.core.management import CommandError, call_command

from guozi.enterprises.choices import Level
from guozi.enterprises.models import EnterpriseProfile

pytestmark = pytest.mark.usefixtures("demo_world")


def test_guozi_edit_goes_through_the_profile_rules() -> None:
    own = EnterpriseProfile.objects.get(organization__short_name="城发绿能")
    call_command(
        "edit", "enterprises.EnterpriseProfile", own.pk, actor="chengfa", values=["industry=光伏运维", "level=3"]
    )
    own.refresh_from_db()
    assert (own.industry, own.level) == ("光伏运维", Level.SECOND)  # the classification is not the enterprise's
    gaotou = EnterpriseProfile.objects.get(organization__short_name="市高投集团")
    with pytest.raises(CommandError, match="not found"):
        call_command("edit", "enterprises.EnterpriseProfile", gaotou.pk, actor="chengfa", values=["industry=x"])
