"""What the standard roles may do with plans and target tasks."""

_READ = ["supervision.view_plan", "supervision.view_targettask"]

GRANTS = {
    "supervision_office": [
        *_READ,
        "supervision.add_plan",
        "supervision.change_plan",
        "supervision.add_targettask",
        "supervision.change_targettask",
        "supervision.delete_targettask",
    ],
    "sasac_staff": [*_READ, "supervision.change_targettask"],
    "leader": _READ,
}
