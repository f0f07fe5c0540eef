"""The registry's integrity holds in the database too, whatever writes to it."""

from collections.abc import Callable
from datetime import date

import pytest
from django.db import IntegrityError, transaction

from guozi.core.testing import org
from guozi.enterprises.choices import EnterpriseStatus, GovernanceKind
from guozi.enterprises.models import EnterpriseProfile, GovernanceRecord, Headcount

pytestmark = pytest.mark.usefixtures("demo_world")


def refused(write: Callable[[], object]) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


def test_profiles_are_consistent_in_the_database() -> None:
    chengfa = EnterpriseProfile.objects.get(organization__short_name="市城发集团")
    gaotou = EnterpriseProfile.objects.get(organization__short_name="市高投集团")
    refused(lambda: EnterpriseProfile.objects.filter(pk=chengfa.pk).update(status=EnterpriseStatus.MERGED))
    refused(lambda: EnterpriseProfile.objects.filter(pk=chengfa.pk).update(merged_into=org("市国资公司")))
    refused(
        lambda: EnterpriseProfile.objects.filter(pk=chengfa.pk).update(
            status=EnterpriseStatus.MERGED, merged_into=chengfa.organization
        )
    )
    refused(lambda: EnterpriseProfile.objects.filter(pk=chengfa.pk).update(credit_code=gaotou.credit_code))
    refused(lambda: EnterpriseProfile.objects.filter(pk=chengfa.pk).update(level=4))


def test_counted_records_and_snapshots_are_consistent_in_the_database() -> None:
    refused(
        lambda: GovernanceRecord.objects.create(
            organization=org("国资委"), kind=GovernanceKind.SUPERVISORY_BOARD, title="x", done_on=date(2025, 1, 1)
        )
    )
    refused(
        lambda: GovernanceRecord.objects.create(
            organization=org("国资委"), kind=GovernanceKind.BOARD, title="x", done_on=date(2025, 1, 1), count=0
        )
    )
    refused(lambda: Headcount.objects.create(organization=org("市城发集团"), as_of=date(2025, 1, 1)))


def test_names_say_whose_record_it_is() -> None:
    record = GovernanceRecord.objects.get(count=483)
    assert str(record) == "国资委 监事会改革 2025-09-30"
    assert str(EnterpriseProfile.objects.get(organization__short_name="咸安城投")) == "咸安城市建设投资有限公司"
