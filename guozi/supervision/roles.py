"""What the standard roles may do in supervision (督办)."""

_MODELS = [
    "plan",
    "targettask",
    "workitem",
    "milestone",
    "indicator",
    "indicatorvalue",
    "problem",
    "reportinground",
    "progressreport",
    "reportcontribution",
    "notice",
    "notification",
]
_READ = [f"supervision.view_{m}" for m in _MODELS]
_DECOMPOSE = [
    f"supervision.{a}_{m}"
    for m in ("workitem", "milestone", "indicator", "indicatorvalue", "problem")
    for a in ("add", "change")
]

GRANTS = {
    # The office loads tasks, opens rounds, reviews reports and closes problems.
    "supervision_office": [
        *_READ,
        "supervision.add_plan",
        "supervision.change_plan",
        "supervision.add_targettask",
        "supervision.change_targettask",
        "supervision.delete_targettask",
        "supervision.add_reportinground",
        "supervision.review_progressreport",
        "supervision.change_problem",
        "supervision.add_notice",
        "supervision.change_notice",
        "supervision.add_notification",
    ],
    # A lead unit decomposes its tasks and writes and submits its reports.
    "sasac_staff": [
        *_READ,
        "supervision.change_targettask",
        *_DECOMPOSE,
        "supervision.change_progressreport",
        "supervision.change_notice",
    ],
    # Enterprises read the tasks they take part in and write their sections.
    "enterprise_staff": [
        *_READ,
        "supervision.add_reportcontribution",
        "supervision.change_reportcontribution",
    ],
    "leader": _READ,
}
