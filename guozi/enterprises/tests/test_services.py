"""Every rule of the registry's writes, each refused with nothing written."""

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from guozi.core.changes import COMMAND
from guozi.core.choices import OrganizationKind
from guozi.core.models import ChangeRecord, Organization
from guozi.core.services.organizations import organization_create
from guozi.core.testing import org, user
from guozi.enterprises.choices import CreditGrade, EnterpriseStatus, GovernanceKind, Level, Ownership
from guozi.enterprises.creditcode import with_check_character
from guozi.enterprises.models import CreditRating, EnterpriseProfile, GovernanceRecord, Headcount, Restructuring
from guozi.enterprises.services.governance import (
    credit_rating_create,
    credit_rating_delete,
    governance_record_create,
    governance_record_update,
    headcount_create,
    headcount_update,
)
from guozi.enterprises.services.profiles import enterprise_profile_create, enterprise_profile_update
from guozi.enterprises.services.restructurings import restructuring_create, restructuring_update

pytestmark = pytest.mark.usefixtures("demo_world")

CODE = with_check_character("91421202000000001")


def enterprise(name: str, region: str = "咸安区", parent: str = "咸安区") -> Organization:
    return organization_create(
        actor=user("guoziwei"),
        origin=COMMAND,
        data={"name": name, "kind": OrganizationKind.ENTERPRISE, "region": region, "parent": org(parent)},
    )


def profile_data(organization: Organization, **values: Any) -> dict[str, Any]:
    return {
        "organization": organization,
        "credit_code": CODE,
        "level": Level.FIRST,
        "ownership": Ownership.COUNTY,
        **values,
    }


def create_profile(organization: Organization, **values: Any) -> EnterpriseProfile:
    return enterprise_profile_create(actor=user("guoziwei"), origin=COMMAND, data=profile_data(organization, **values))


def profile(short_name: str) -> EnterpriseProfile:
    return EnterpriseProfile.objects.get(organization__short_name=short_name)


# --- profiles -----------------------------------------------------------------------------------


def test_a_profile_is_created_and_logged() -> None:
    created = create_profile(enterprise("咸安演示公司"))
    assert created.status == EnterpriseStatus.ACTIVE
    record = ChangeRecord.objects.get(content_type__model="enterpriseprofile", object_id=str(created.pk))
    assert (record.action, record.after["credit_code"], record.actor_name) == ("create", CODE, "guoziwei")


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"credit_code": CODE[:-1] + ("0" if CODE[-1] != "0" else "1")}, "credit_code"),
        ({"credit_code": "91440300708461136"}, "credit_code"),
        ({"level": 4}, "level"),
        ({"ownership": "province"}, "ownership"),
    ],
)
def test_a_profile_needs_a_valid_code_level_and_ownership(values: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as error:
        create_profile(enterprise("咸安演示公司"), **values)
    assert field in error.value.message_dict
    assert not EnterpriseProfile.objects.filter(organization__name="咸安演示公司").exists()


def test_only_an_enterprise_has_a_profile_and_only_one() -> None:
    with pytest.raises(ValidationError, match="不是企业"):
        create_profile(org("国资委"))
    with pytest.raises(ValidationError):
        create_profile(org("市城发集团"))  # has one already


def test_a_credit_code_belongs_to_one_enterprise() -> None:
    taken = profile("市城发集团").credit_code
    with pytest.raises(ValidationError, match="统一社会信用代码"):
        create_profile(enterprise("咸安演示公司"), credit_code=taken)


def test_merged_needs_merged_into_and_only_merged_has_it() -> None:
    new = enterprise("咸安演示公司")
    with pytest.raises(ValidationError, match="合并"):
        create_profile(new, status=EnterpriseStatus.MERGED)
    with pytest.raises(ValidationError, match="合并"):
        create_profile(new, merged_into=org("咸安城发"))
    with pytest.raises(ValidationError, match="自身"):
        create_profile(new, status=EnterpriseStatus.MERGED, merged_into=new)
    with pytest.raises(ValidationError, match="不是企业"):
        create_profile(new, status=EnterpriseStatus.MERGED, merged_into=org("咸安区"))
    merged = create_profile(new, status=EnterpriseStatus.MERGED, merged_into=org("咸安城发"))
    assert merged.merged_into == org("咸安城发")


def test_only_the_sasac_enters_an_enterprise() -> None:
    with pytest.raises(PermissionDenied):
        enterprise_profile_create(
            actor=user("chengfa"),
            origin=COMMAND,
            data=profile_data(org("城发绿能"), credit_code=with_check_character("91421200000000002")),
        )


def test_an_enterprise_corrects_its_facts_but_not_its_classification() -> None:
    chengfa = user("chengfa")
    own = profile("城发绿能")
    enterprise_profile_update(
        actor=chengfa, origin=COMMAND, enterpriseprofile=own, data={"industry": "光伏运维", "level": own.level}
    )
    assert profile("城发绿能").industry == "光伏运维"
    for change in (
        {"level": Level.THIRD},
        {"ownership": Ownership.COUNTY},
        {"status": EnterpriseStatus.DEREGISTERED},
    ):
        with pytest.raises(PermissionDenied):
            enterprise_profile_update(actor=chengfa, origin=COMMAND, enterpriseprofile=profile("城发绿能"), data=change)
    assert profile("城发绿能").level == Level.SECOND
    enterprise_profile_update(
        actor=user("guoziwei"), origin=COMMAND, enterpriseprofile=profile("城发绿能"), data={"level": Level.THIRD}
    )
    assert profile("城发绿能").level == Level.THIRD


def test_an_enterprise_cannot_touch_another_groups_profile_nor_move_a_profile() -> None:
    with pytest.raises(PermissionDenied):
        enterprise_profile_update(
            actor=user("chengfa"), origin=COMMAND, enterpriseprofile=profile("市高投集团"), data={"industry": "x"}
        )
    with pytest.raises(ValidationError, match="企业"):
        enterprise_profile_update(
            actor=user("guoziwei"),
            origin=COMMAND,
            enterpriseprofile=profile("城发绿能"),
            data={"organization": org("振宁押运")},
        )
    assert profile("市高投集团").industry != "x"


# --- governance, ratings, headcount ------------------------------------------------------------


def test_a_counted_governance_record_says_how_many() -> None:
    guoziwei = user("guoziwei")
    data = {"organization": org("市城发集团"), "title": "演示", "done_on": date(2025, 10, 1)}
    with pytest.raises(ValidationError, match="多少"):
        governance_record_create(
            actor=guoziwei, origin=COMMAND, data={**data, "kind": GovernanceKind.SUPERVISORY_BOARD}
        )
    with pytest.raises(ValidationError):
        governance_record_create(
            actor=guoziwei, origin=COMMAND, data={**data, "kind": GovernanceKind.EXTERNAL_DIRECTORS, "count": 0}
        )
    board = governance_record_create(actor=guoziwei, origin=COMMAND, data={**data, "kind": GovernanceKind.BOARD})
    assert board.count is None
    governance_record_update(actor=guoziwei, origin=COMMAND, governancerecord=board, data={"count": 7})
    assert GovernanceRecord.objects.get(pk=board.pk).count == 7


def test_only_the_sasac_writes_governance_ratings_and_headcount() -> None:
    chengfa = user("chengfa")
    own = org("市城发集团")
    with pytest.raises(PermissionDenied):
        governance_record_create(
            actor=chengfa,
            origin=COMMAND,
            data={"organization": own, "kind": GovernanceKind.BOARD, "title": "x", "done_on": date(2025, 10, 1)},
        )
    with pytest.raises(PermissionDenied):
        credit_rating_create(
            actor=chengfa,
            origin=COMMAND,
            data={"organization": own, "agency": "x", "grade": CreditGrade.AAA, "rated_on": date(2025, 10, 1)},
        )
    with pytest.raises(PermissionDenied):
        headcount_update(
            actor=chengfa, origin=COMMAND, headcount=Headcount.objects.filter(organization=own).first(), data={}
        )
    with pytest.raises(PermissionDenied):
        credit_rating_delete(actor=chengfa, origin=COMMAND, creditrating=CreditRating.objects.get(organization=own))


def test_ratings_belong_to_enterprises_once_per_agency_and_day() -> None:
    guoziwei = user("guoziwei")
    data = {"agency": "普策信评", "grade": CreditGrade.AA, "rated_on": date(2025, 7, 14)}
    with pytest.raises(ValidationError, match="不是企业"):
        credit_rating_create(actor=guoziwei, origin=COMMAND, data={**data, "organization": org("国资委")})
    with pytest.raises(ValidationError, match="当天"):
        credit_rating_create(actor=guoziwei, origin=COMMAND, data={**data, "organization": org("市高投集团")})
    with pytest.raises(ValidationError):
        credit_rating_create(
            actor=guoziwei, origin=COMMAND, data={**data, "organization": org("市高投集团"), "grade": "AAAA"}
        )


def test_a_headcount_snapshot_has_a_figure_and_one_per_day() -> None:
    guoziwei = user("guoziwei")
    data = {"organization": org("市高投集团"), "as_of": date(2025, 10, 1)}
    with pytest.raises(ValidationError, match="定编"):
        headcount_create(actor=guoziwei, origin=COMMAND, data=data)
    with pytest.raises(ValidationError, match="不是企业"):
        headcount_create(actor=guoziwei, origin=COMMAND, data={**data, "organization": org("国资委"), "staff_quota": 1})
    with pytest.raises(ValidationError, match="该日期"):
        headcount_create(actor=guoziwei, origin=COMMAND, data={**data, "as_of": date(2025, 9, 30), "staff_quota": 1})


# --- restructurings -----------------------------------------------------------------------------


def restructure(**values: Any) -> Restructuring:
    data = {"done_on": date(2025, 10, 1), "document_number": "演示〔2025〕1号", "result": org("咸安城发"), **values}
    return restructuring_create(actor=user("guoziwei"), origin=COMMAND, data=data)


def test_a_restructuring_marks_the_merged_enterprises_merged_into_the_result() -> None:
    first, second = enterprise("咸安演示一公司"), enterprise("咸安演示二公司")
    create_profile(first)
    create_profile(second, credit_code=with_check_character("91421202000000002"))
    before = ChangeRecord.objects.count()
    done = restructure(merged=[first, second])
    assert set(done.merged.all()) == {first, second}
    for organization in (first, second):
        merged = EnterpriseProfile.objects.get(organization=organization)
        assert (merged.status, merged.merged_into) == (EnterpriseStatus.MERGED, org("咸安城发"))
    assert ChangeRecord.objects.count() == before + 3  # the restructuring and two profiles


@pytest.mark.parametrize(
    ("merged", "result", "message"),
    [
        ([], "咸安城发", "合并的企业"),
        (["咸安城发"], "咸安城发", "存续企业不能"),
        (["咸安城投"], "咸安城发", "不再存续"),  # merged away already
        (["咸安产投"], "咸安城投", "不再存续"),  # the result is merged away
        (["赤壁城发"], "咸安城发", "不在"),  # another county
        (["咸安区"], "咸安城发", "未录入"),  # not an enterprise in the registry
    ],
)
def test_a_restructuring_is_refused_when(merged: list[str], result: str, message: str) -> None:
    before = (Restructuring.objects.count(), ChangeRecord.objects.count())
    with pytest.raises(ValidationError, match=message):
        restructure(merged=[org(name) for name in merged], result=org(result))
    assert (Restructuring.objects.count(), ChangeRecord.objects.count()) == before
    assert profile("咸安产投").status == EnterpriseStatus.ACTIVE


def test_only_the_sasac_records_a_restructuring() -> None:
    with pytest.raises(PermissionDenied):
        restructuring_create(
            actor=user("chengfa"),
            origin=COMMAND,
            data={
                "done_on": date(2025, 10, 1),
                "document_number": "x",
                "result": org("市城发集团"),
                "merged": [org("城发绿能")],
            },
        )
    assert profile("城发绿能").status == EnterpriseStatus.ACTIVE


def test_a_recorded_restructuring_keeps_who_merged_into_whom() -> None:
    done = Restructuring.objects.filter(result=org("咸安城发")).get()
    guoziwei = user("guoziwei")
    restructuring_update(
        actor=guoziwei, origin=COMMAND, restructuring=done, data={"document_number": "咸政发〔2025〕9号"}
    )
    assert Restructuring.objects.get(pk=done.pk).document_number == "咸政发〔2025〕9号"
    for change in ({"result": org("咸安产投")}, {"merged": [org("咸安城投")]}):
        with pytest.raises(ValidationError, match="保持"):
            restructuring_update(actor=guoziwei, origin=COMMAND, restructuring=done, data=change)
    unchanged = {"result": done.result, "merged": list(done.merged.all()), "note": "更正"}
    restructuring_update(actor=guoziwei, origin=COMMAND, restructuring=done, data=unchanged)
    assert Restructuring.objects.get(pk=done.pk).note == "更正"
