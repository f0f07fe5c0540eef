"""Cross-check rules (勾稽关系) over the figures a report states.

Each rule reads the generated text (figures computed from records and figures
still typed by hand alike) and reports what does not add up, with the operands.
Hard findings must be fixed before a progress report is approved; soft ones need
the reviewer's explanation (``approval_checks.py``).
The shipped rules catch the reference report's own slips: 城发集团's categories
add to 306.7亿元 against a stated 306.9亿元, 高投集团's to 96.18 against 96.17,
the industry system named both "5+5" and "5+4", and a change of a rate written
in % instead of percentage points.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from guozi.core.money import plain
from guozi.core.punctuation import full_width
from guozi.reports.document import Finding, ReportDocument
from guozi.reports.figures import PACKAGE_WORDS

NUMBER = r"(\d+(?:\.\d+)?)"
TOLERANCE = Decimal("0.005")
YI = Decimal(100_000_000)  # half of the last digit the report writes (0.01亿元)

Rule = Callable[[str], Iterator[Finding]]


def _lines_holding(pattern: str, literal: str, text: str) -> Iterator[re.Match[str]]:
    """``re.finditer(pattern, text)``, trying only the lines of ``text`` that hold ``literal``.

    For patterns that hold ``literal`` and never span a line (their classes exclude ``\\n``,
    their ``.`` does not match it). A pattern opening with a class of up to ten characters
    is tried at every position of the text: over the 47,000 characters of a 200-task report the
    rules took 15 ms of the report's 130 ms generation (2.5 ms now). The matches keep their places in
    ``text`` (``finditer`` bounded to the line, not run on a slice).
    """
    compiled = re.compile(pattern)
    at = text.find(literal)
    while at != -1:
        start = text.rfind("\n", 0, at) + 1
        end = text.find("\n", at)
        end = len(text) if end == -1 else end
        yield from compiled.finditer(text, start, end)
        at = text.find(literal, end)


def parts_sum_to_total(text: str) -> Iterator[Finding]:
    """ "已完成306.9亿元资产清理。其中，资金22亿元，债权67.2亿元…": the parts must add to the total."""
    pattern = rf"([^。，,；\s]{{2,10}})已完成{NUMBER}亿元资产清理。其中，?(.+?)[，,]?(?:通过初判|还有|。)"
    for match in _lines_holding(pattern, "亿元资产清理。", text):
        who, total = match.group(1), Decimal(match.group(2))
        parts = [
            (name.strip("，,、 "), Decimal(v))
            for name, v in re.findall(rf"([^，,、\d]+?)(?:资产)?{NUMBER}亿元", match.group(3))
        ]
        if not parts:
            continue
        added = sum((v for _, v in parts), Decimal(0))
        if abs(added - total) > TOLERANCE:
            yield Finding(
                "parts-sum-to-total",
                f"{who}资产清理分类合计{plain(added)}亿元，与所述总额{plain(total)}亿元不符"
                f"（相差{plain(abs(total - added))}亿元）。",
                hard=False,
                operands={
                    "总额": f"{plain(total)}亿元",
                    "分类合计": f"{plain(added)}亿元",
                    **{name: f"{plain(v)}亿元" for name, v in parts},
                },
            )


def change_equals_difference(text: str) -> Iterator[Finding]:
    """ "由429.28亿元增加至468亿元，增加38.72亿元": after − before must equal the stated change."""
    pattern = (
        rf"由(?:\d{{4}}年\d+月的)?{NUMBER}(亿元|%)(?:增加至|降低至|降低|增加|降至)?{NUMBER}(?:亿元|%)，"
        rf"(增加|减少){NUMBER}(亿元|%|个百分点)"
    )
    for match in re.finditer(pattern, text):
        before, unit, after, word, stated, stated_unit = match.groups()
        change = Decimal(after) - Decimal(before)
        expected = abs(change)
        if abs(expected - Decimal(stated)) > TOLERANCE or (word == "增加") != (change > 0):
            yield Finding(
                "after-minus-before",
                f"“{match.group(0)}”：{after}−{before}={plain(change)}，与所述变化不符。",
                hard=True,
                operands={"前": before, "后": after, "所述变化": f"{word}{stated}"},
            )
        if unit == "%" and stated_unit == "%":
            yield Finding(
                "percentage-points",
                f"“{match.group(0)}”：比率的变化应写作“{word}{stated}个百分点”。",
                hard=False,
                operands={"所述": f"{word}{stated}%"},
            )


def rate_matches_counts(text: str) -> Iterator[Finding]:
    """ "61项…完成率超过93%" with "完成57项": the stated rate must fit done ÷ total (used where both are typed)."""
    for match in _lines_holding(rf"{NUMBER}项重点改革事项完成率(超过)?{NUMBER}%", "项重点改革事项完成率", text):
        total, above, stated = Decimal(match.group(1)), match.group(2), Decimal(match.group(3))
        done = re.search(rf"完成{NUMBER}项", text[match.end() : match.end() + 200])
        if done:
            actual = Decimal(done.group(1)) / total * 100
            if (above and actual <= stated) or (not above and abs(actual - stated) > TOLERANCE):
                yield Finding(
                    "done-over-total",
                    f"完成率{plain(actual.quantize(Decimal('0.01')))}%与所述“{match.group(0)}”不符。",
                    hard=True,
                    operands={"总数": plain(total), "完成数": done.group(1)},
                )


def counts_sum(text: str) -> Iterator[Finding]:
    """ "由64户整合为10户，咸安、赤壁、通城、崇阳各2家，嘉鱼、通山各1家": the counts by county must add up."""
    for match in re.finditer(r"整合为(\d+)户，((?:[^，。]+?各\d+家[，、]?)+)", text):
        total = int(match.group(1))
        added = sum(
            len(names.split("、")) * int(n)
            for names, n in re.findall(r"([^，、。]+(?:、[^，、。]+)*)各(\d+)家", match.group(2))
        )
        if added != total:
            yield Finding(
                "counts-sum",
                f"各县（市、区）户数合计{added}户，与所述{total}户不符。",
                hard=True,
                operands={"总数": str(total), "分县合计": str(added)},
            )


def one_name_per_system(text: str) -> Iterator[Finding]:
    """The same industry system must not be named with different numbers ("5+5" and "5+4")."""
    names = sorted(set(re.findall(r"“(\d+\+\d+)”(?:现代化?产业体系|产业|现代产业体系)", text)))
    if len(names) > 1:
        yield Finding(
            "one-name",
            f"产业体系的提法不一致：{'、'.join(f'“{n}”' for n in names)}。",
            hard=False,
            operands={"提法": "、".join(names)},
        )


def ledger_matches_text(text: str, ledger: Any) -> Iterator[Finding]:
    """Typed census figures against the asset ledger: total cleared, inefficient and idle assets, packages."""
    starts = list(_lines_holding(rf"([^。，,；\s]{{2,10}})已完成{NUMBER}亿元资产清理", "亿元资产清理", text))
    for index, start in enumerate(starts):
        name = start.group(1)
        _enterprise, found = ledger.census_of(name)
        if found is None or not found.total.count:
            # No ledger to check against: unresolved, which is not the same as passed.
            yield Finding(
                "unresolved",
                f"无法核对{name}的资产清理数据：未找到该企业的资产台账（或无权查看）。",
                hard=False,
                operands={"企业": name},
            )
            continue
        segment = text[start.start() : starts[index + 1].start() if index + 1 < len(starts) else len(text)]
        stated: list[tuple[str, Decimal | None, Decimal, int, Decimal]] = [
            ("资产清理总额", None, Decimal(start.group(2)), 0, found.total.value)
        ]
        if match := re.search(rf"低效资产共?(\d+)项，(?:价值)?{NUMBER}亿元", segment):
            stated.append(
                (
                    "低效资产",
                    Decimal(match.group(1)),
                    Decimal(match.group(2)),
                    found.inefficient.count,
                    found.inefficient.value,
                )
            )
        if match := re.search(rf"闲置资产共?(\d+)项，(?:价值)?{NUMBER}亿元", segment):
            stated.append(
                ("闲置资产", Decimal(match.group(1)), Decimal(match.group(2)), found.idle.count, found.idle.value)
            )
        packages = {PACKAGE_WORDS[p]: figure for p, figure in found.packages}
        for word, n, value in re.findall(rf"(自用|出售|租赁|融资)包已纳入资产(\d+)项，价值{NUMBER}亿元", segment):
            stated.append((f"{word}包", Decimal(n), Decimal(value), packages[word].count, packages[word].value))
        for what, count, value, ledger_count, ledger_value in stated:
            ledger_yi = (ledger_value / YI).quantize(Decimal("0.01"))
            if (count is not None and count != ledger_count) or abs(value - ledger_yi) > TOLERANCE:
                said = f"{plain(count)}项、" if count is not None else ""
                has = f"{ledger_count}项、" if count is not None else ""
                in_text, in_ledger = f"{said}{plain(value)}亿元", f"{has}{plain(ledger_yi)}亿元"
                yield Finding(
                    "text-matches-ledger",
                    f"{name}{what}：所述{in_text}，台账为{in_ledger}。",
                    # Soft: a unit may know what the ledger does not hold yet (在建工程 being cleared).
                    hard=False,
                    operands={"所述": in_text, "台账": in_ledger},
                )


def sub_funds_within_parent(user: Any) -> Iterator[Finding]:
    """A parent fund's sub-funds cannot be bigger, together, than the parent; nor its stake than a sub-fund.

    Where the parent is a partner of a sub-fund, its commitment must not exceed that
    sub-fund's size; and the sub-funds' sizes together must not exceed the parent's.
    """
    from guozi.funds.models import Fund, Partner

    def yi(yuan: Decimal) -> str:
        return f"{plain(yuan / YI)}亿元"

    funds = Fund.objects.restrict(user, "view")
    for parent in funds.filter(sub_funds__isnull=False).distinct():
        subs = list(funds.filter(parent=parent))
        total = sum((f.target_size for f in subs), Decimal(0))
        if total > parent.target_size:
            yield Finding(
                "sub-funds-within-parent",
                f"{parent.short_name}的子基金规模合计{yi(total)}，超过其规模{yi(parent.target_size)}。",
                hard=False,
                operands={"母基金规模": yi(parent.target_size), "子基金合计": yi(total)},
            )
        for sub_fund in subs:
            stake = Partner.objects.filter(fund=sub_fund, outside_name__in=[parent.name, parent.short_name]).first()
            if stake is not None and stake.commitment > sub_fund.target_size:
                yield Finding(
                    "parent-commitment",
                    f"{parent.short_name}对{sub_fund.short_name}的认缴{yi(stake.commitment)}，"
                    f"超过该子基金规模{yi(sub_fund.target_size)}。",
                    hard=True,
                    operands={"认缴": yi(stake.commitment), "子基金规模": yi(sub_fund.target_size)},
                )


RULES: list[Rule] = [parts_sum_to_total, change_equals_difference, rate_matches_counts, counts_sum, one_name_per_system]


def document_text(document: ReportDocument) -> str:
    """The text the rules read: the document's blocks, a line each, punctuation widened."""
    return full_width("\n".join(block.text for block in document.blocks()))


def run(document: ReportDocument, ledger: Any = None) -> list[Finding]:
    """Every rule over the document's text; with ``ledger`` (a LedgerValues), typed census figures too."""
    text = document_text(document)
    findings = [finding for rule in RULES for finding in rule(text)]
    if ledger is not None:
        findings += ledger_matches_text(text, ledger)
        findings += sub_funds_within_parent(ledger.user)
    return findings
