from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "guozi.supervision"
    label = "supervision"
    verbose_name = _("Supervision")

    def ready(self) -> None:
        from guozi.core.menu import SECTIONS, MenuItem, MenuSection

        SECTIONS.insert(
            0,
            MenuSection(
                _("Supervision"),
                [
                    MenuItem(_("My pending reports"), "supervision:inbox", "supervision.ProgressReport"),
                    MenuItem(_("Target tasks"), "supervision:targettask_list", "supervision.TargetTask"),
                    MenuItem(_("Reporting rounds"), "supervision:reportinground_list", "supervision.ReportingRound"),
                    MenuItem(_("Progress reports"), "supervision:progressreport_list", "supervision.ProgressReport"),
                    MenuItem(_("Problems"), "supervision:problem_list", "supervision.Problem"),
                    MenuItem(_("Supervision notices"), "supervision:notice_list", "supervision.Notice"),
                    MenuItem(_("Notifications"), "supervision:notification_list", "supervision.Notification"),
                    MenuItem(_("Supervision dashboard"), "supervision:dashboard", "supervision.TargetTask"),
                    MenuItem(_("Plans"), "supervision:plan_list", "supervision.Plan"),
                ],
            ),
        )
