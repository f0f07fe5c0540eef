"""Who generates and reads the quarterly reports."""

GRANTS = {
    "sasac_staff": ["reports.view_generatedreport", "reports.add_generatedreport", "reports.change_generatedreport"],
    "supervision_office": ["reports.view_generatedreport"],
    "leader": ["reports.view_generatedreport"],
}
