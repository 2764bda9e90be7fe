"""Every sentence an import can say about a file or a row, translated.

The pure modules (lindung.lib.cells, lindung.lib.countries, imports.reading) return machine
codes; this is where they become Bahasa Indonesia (or English). Messages name the value so a
row can be fixed without opening the original file.
"""

from django.utils.translation import gettext_lazy as _

FILE_MESSAGES = {
    "empty_file": _("The file is empty."),
    "too_big": _("The file is too big. Split it into files of at most %(limit)s MB."),
    "not_spreadsheet": _(
        "This file is not a spreadsheet. Upload an Excel file (XLSX or XLS), an ODS file or a "
        "CSV file."
    ),
    "password": _(
        "The workbook is protected with a password. Open it in Excel, remove the password "
        "(File › Info › Protect Workbook) and upload it again."
    ),
    "corrupt": _("The file is damaged and cannot be opened. Save it again from Excel."),
    "no_sheet": _("The workbook has no sheet with data."),
    "sheet_missing": _("There is no sheet named %(sheet)s in the workbook."),
    "no_header": _(
        "No header row found: the first rows must name the columns, with at least NIK or Nama "
        "and one more known column (see the template)."
    ),
    "no_rows": _("The sheet has a header but no data rows."),
    "missing_required": _("Choose the column for: %(fields)s."),
}

CELL_MESSAGES = {
    "empty": _("%(column)s is empty."),
    "nik_float": _(
        "Excel turned the NIK %(value)s into a number and its last digits are lost. Format the "
        "column as Text and type the NIK again from the KTP."
    ),
    "nik_length": _("A NIK has 16 digits, but %(value)s has %(length)s."),
    "nik_digits": _("A NIK may only contain digits: %(value)s."),
    "date_invalid": _("%(value)s is not a real calendar date."),
    "date_format": _("Cannot read %(value)s as a date; write day/month/year, e.g. 27/01/1990."),
    "sex_unknown": _("Cannot read the sex from %(value)s; write L (male) or P (female)."),
    "int_invalid": _("%(value)s is not a whole number."),
    "int_range": _("%(value)s is outside the allowed range."),
    "bool_unknown": _("Cannot read %(value)s as yes or no; write Ya or Tidak."),
    "country_unknown": _("Unknown country: %(value)s."),
    "country_suggestion": _("Did you mean %(suggestion)s?"),
}

ROW_MESSAGES = {
    "too_long": _("%(column)s is too long (at most %(max)s characters)."),
    "choice_unknown": _("Cannot read %(value)s in %(column)s. Allowed: %(allowed)s."),
    "birth_future": _("The date of birth cannot be in the future."),
    "kk_invalid": _("The KK number must be 16 digits: %(value)s."),
    "phone_consent": _(
        "A phone number is kept only with the person's consent: write Ya in the column "
        "Setuju Dihubungi, or leave the phone empty."
    ),
    "village_needed": _("Write the village (name or Kemendagri code) in the column Desa."),
    "village_unknown": _("There is no village %(value)s in %(area)s."),
    "village_unknown_suggest": _(
        "There is no village %(value)s in %(area)s. Did you mean %(suggestion)s?"
    ),
    "village_ambiguous": _(
        "%(value)s is the name of several villages (%(choices)s). Write the Kemendagri code of "
        "the village, or fill in the column Kecamatan."
    ),
    "village_outside": _("Village %(value)s is outside the area of this import (%(area)s)."),
    "duplicate_in_file": _("This NIK already appears on row %(row)s of this file."),
    "duplicate_uuid": _("This submission already appears on row %(row)s of this file."),
    "country_needed": _("Write the destination country (Negara Tujuan) for a departure."),
    "departure_needed": _("The status says the person is abroad: fill in Tgl Berangkat."),
    "return_needed": _("The status says the person has returned: fill in Tgl Pulang."),
    "return_without_departure": _("A return date needs a departure date (Tgl Berangkat)."),
    "under_age": _(
        "The person is under 18 on the departure date; record this departure in the "
        "application with an explanation."
    ),
    "open_episode": _(
        "This person already has an open episode (%(country)s); record its return or cancel it "
        "first."
    ),
    "other_village": _(
        "This NIK is registered in %(village)s. The row would move the person to %(new)s: check "
        "with that village; nothing was changed."
    ),
    "outside_scope": _(
        "This NIK is registered outside your area of work; nothing was changed. Contact the "
        "Disnaker."
    ),
    "archived": _("This NIK belongs to an archived record; nothing was changed."),
    "status_unsupported": _(
        "A cancellation or a death is recorded in the application, on the person's page, not "
        "by import."
    ),
    "episode_conflict": _(
        "The file says %(field)s is %(file)s, but the record says %(record)s; nothing was changed "
        "in this episode."
    ),
}

# Labels of the canonical columns, for the mapping form (the headers themselves stay as in the
# template so a re-upload is recognised).
FIELD_LABELS = {
    "nik": _("NIK"),
    "full_name": _("Full name"),
    "sex": _("Sex"),
    "birth_place": _("Place of birth"),
    "birth_date": _("Date of birth"),
    "kk_number": _("Family card number (KK)"),
    "address": _("Address"),
    "dusun": _("Hamlet (dusun)"),
    "rt": _("RT"),
    "rw": _("RW"),
    "phone": _("Phone/WhatsApp"),
    "contact_consent": _("Consent to be contacted"),
    "education": _("Education"),
    "marital_status": _("Marital status"),
    "village": _("Village"),
    "district": _("District"),
    "scheme": _("Placement scheme"),
    "destination_country": _("Destination country"),
    "sector": _("Sector"),
    "job": _("Job"),
    "job_title": _("Job title"),
    "agency_name": _("P3MI"),
    "employer_name": _("Employer"),
    "departed_on": _("Departure date"),
    "returned_on": _("Return date"),
    "return_reason": _("Return reason"),
    "status": _("Status"),
    "note": _("Note"),
    "nik_exception": _("Explanation of NIK mismatch"),
    "submission_uuid": _("Submission UUID (ODK/Kobo)"),
}
