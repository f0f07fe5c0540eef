"""Who generates and reads the quarterly reports."""

GRANTS = {
    "sasac_staff": ["reports.view_generatedreport", "reports.add_generatedreport", "reports.change_generatedreport"],
    "supervision_office": ["reports.view_generatedreport"],
    "leader": ["reports.view_generatedreport"],
    # The security administrator labels them (公开/内部/敏感, 8.1.5.3), so must be able to read them.
    "secadmin": ["reports.view_generatedreport"],
}
