from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "guozi.core"
    label = "core"
    verbose_name = _("Platform")

    def ready(self) -> None:
        # Login records and the SQLite append-only guard hook into Django's signals;
        # the system checks make sure the upload parser is defused (SEC-FILE-02).
        #
        # django-otp keeps TOTP keys in plain hex and has no hook for encrypting them: its
        # devices read the key only through ``bin_key``, so that one property opens our
        # SM4-GCM sealed keys instead (8.1.4.8 b; services.second_factor).
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from guozi.core import checks, signals  # noqa: F401
        from guozi.core.services.second_factor import totp_bin_key

        TOTPDevice.bin_key = property(totp_bin_key)
