"""Two-factor sign-in (等级保护 2.0, level 3): a TOTP code from a phone app, or a recovery code.

Who must: administrators, and every user of a region whose policy says so
(`Region.requires_two_factor`, inherited by the regions below). TWO_FACTOR_REQUIRED
turns the requirement off for the demo (`make run`), never in production.
"""

import base64
import secrets

import segno
from django.conf import settings
from django.db import transaction
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.audit import record_event
from portal.models import AuditEvent, Region, User

RECOVERY_CODES = 10


def must_use_two_factor(user: User) -> bool:
    if not settings.TWO_FACTOR_REQUIRED or not user.is_authenticated:
        return False
    if user.is_admin or user.is_superuser:
        return True
    if user.region_id is None:
        return False
    return Region.objects.filter(pk__in=user.region.ancestors_and_self, requires_two_factor=True).exists()


def has_authenticator(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_authenticator(user: User) -> TOTPDevice:
    """The unconfirmed authenticator the user is setting up (one, kept across page loads)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def qr_code_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// URL as an inline SVG QR code (no image request, nothing leaves the server)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4)


def typed_key(device: TOTPDevice) -> str:
    """The key as people type it into an app that cannot scan: base32, in groups of four."""
    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def confirm_authenticator(*, user: User, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the new authenticator with a code it shows; returns fresh recovery codes, or None if the code is wrong."""
    if not device.verify_token(code.strip()):
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_recovery_codes(user)
        record_event(actor=user, action=AuditEvent.Action.UPDATE, instance=user, region=user.region,
                     changes={"two_factor": [None, "authenticator"]}, note="two-factor enabled")  # fmt: skip
    return codes


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = [f"{secrets.randbelow(10**8):08d}" for _n in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def verify(user: User, code: str):
    """The device that accepts `code` (a TOTP code or an unused recovery code, used up), or None."""
    code = code.strip().replace(" ", "")
    if not code.isascii() or not code.isdigit():
        return None
    return match_token(user, code)


def check_code(*, user: User, code: str):
    """(the device that accepted `code` or None, and — the first time, when the code confirms a new
    authenticator — the recovery codes to show once)."""
    if has_authenticator(user):
        return verify(user, code), None
    device = pending_authenticator(user)
    recovery_codes = confirm_authenticator(user=user, device=device, code=code)
    return (device if recovery_codes is not None else None), recovery_codes


__all__ = [
    "check_code",
    "confirm_authenticator",
    "has_authenticator",
    "must_use_two_factor",
    "pending_authenticator",
    "qr_code_svg",
    "verify",
]
