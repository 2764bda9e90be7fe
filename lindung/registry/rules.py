"""What the registry says about a NIK and a phone number, in the user's language.

The structural checks are pure functions in lindung.lib.nik / lindung.lib.phone; this module
turns their codes into translated sentences and adds the one check that needs the database
(is the NIK's district in the Kemendagri list).
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lindung.lib.nik import NikError, clean_nik, compare_nik, parse_nik
from lindung.lib.phone import PhoneError, normalize_phone
from lindung.regions.models import Area

NIK_MESSAGES = {
    "nik_length": gettext_lazy("NIK must be exactly 16 digits (this one has %(length)s)."),
    "nik_digits": gettext_lazy("NIK may contain digits only."),
    "nik_area_zero": gettext_lazy("The %(part)s part of a NIK cannot be 00."),
    "nik_day": gettext_lazy(
        "The birth day in the NIK (%(day)s) is impossible: 01–31 for men, 41–71 for women."
    ),
    "nik_month": gettext_lazy("The birth month in the NIK (%(month)s) must be 01–12."),
    "nik_date": gettext_lazy(
        "The birth date in the NIK (%(day)s-%(month)s-%(year)s) does not exist."
    ),
    "nik_serial": gettext_lazy("The last four digits of a NIK cannot be 0000."),
}
NIK_PARTS = {
    "province": gettext_lazy("province"),
    "regency": gettext_lazy("regency"),
    "district": gettext_lazy("district"),
}
PHONE_MESSAGES = {
    "phone_empty": gettext_lazy("Enter a phone number."),
    "phone_chars": gettext_lazy(
        "A phone number may contain only digits, spaces, dashes, dots, brackets and a leading +."
    ),
    "phone_length": gettext_lazy("This phone number has the wrong number of digits."),
}
SEX_LABELS = {"M": gettext_lazy("male"), "F": gettext_lazy("female")}


def nik_error_message(error: NikError) -> str:
    """The translated sentence for a NIK that fails the structural rules."""
    params = dict(error.params)
    if "part" in params:
        params["part"] = NIK_PARTS.get(str(params["part"]), params["part"])
    return str(NIK_MESSAGES[error.code]) % params


@dataclass
class NikReview:
    nik: str
    error: str = ""  # the NIK cannot be accepted
    mismatches: list[str] = field(default_factory=list)  # need correction or an explanation
    warnings: list[str] = field(default_factory=list)  # shown, never blocking


def nik_review(raw: str, *, birth_date: date | None, sex: str | None) -> NikReview:
    """Check a NIK's structure, compare it with the recorded birth date and sex, and look its
    district up in the Kemendagri list (an unknown district is only a warning: a NIK keeps the
    district of first issue, which may be an older code)."""
    nik = clean_nik(raw or "")
    review = NikReview(nik=nik)
    try:
        info = parse_nik(nik)
    except NikError as error:
        review.error = nik_error_message(error)
        return review
    for mismatch in compare_nik(nik, birth_date=birth_date, sex=sex):
        if mismatch.field == "birth_date":
            review.mismatches.append(
                _(
                    "The NIK says the person was born on %(nik)s, but the recorded birth date "
                    "is %(recorded)s."
                )
                % {
                    "nik": date_format(info.birth_date, "j F Y"),
                    "recorded": date_format(birth_date, "j F Y"),
                }
            )
        else:
            review.mismatches.append(
                _("The NIK says the person is %(nik)s, but %(recorded)s is recorded.")
                % {"nik": SEX_LABELS[info.sex], "recorded": SEX_LABELS.get(sex, sex)}
            )
    if not Area.objects.filter(code=info.district_code).exists():
        review.warnings.append(
            _(
                "The district code %(code)s in the NIK is not in today's Kemendagri list. "
                "This is normal for a NIK first issued before an area was split; check the KTP."
            )
            % {"code": info.district_code}
        )
    return review


def phone_clean(raw: str) -> str:
    """The phone number in +62… form, or raise ValueError with a translated sentence."""
    try:
        return normalize_phone(raw)
    except PhoneError as error:
        raise ValueError(str(PHONE_MESSAGES[error.code])) from None
