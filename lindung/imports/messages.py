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
    "too_many_rows": _(
        "The sheet has more than %(limit)s rows, the most one import reads. Split it into "
        "several files (for example one per district)."
    ),
    "missing_required": _("Choose the column for: %(fields)s."),
}

# What reading a CSV file changed, told as a warning at the line where it first happened.
TEXT_MESSAGES = {
    "bytes_replaced": _(
        "The file is UTF-8 but %(count)s byte(s) are not (first on this line): they were "
        "replaced with �. Check the names on this line."
    ),
    "read_as_cp1252": _(
        "The file is not UTF-8: it was read as Windows-1252 (a CSV saved by Excel on Windows), "
        "because %(count)s byte(s) are not UTF-8 (first on this line). Check the names with "
        "accents; save the file as CSV UTF-8 to be sure."
    ),
    "nul_removed": _(
        "The file holds %(count)s NUL character(s) (first on this line): they were removed."
    ),
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
    "kk_float": _(
        "Excel turned the KK number %(value)s into a number and its last digits may be lost. "
        "Format the column as Text and type the KK number again from the family card."
    ),
    "phone_dropped_consent": _(
        "Phone number not stored: no consent yet (write Ya in the column Setuju Dihubungi). "
        "The person is registered."
    ),
    "phone_dropped_invalid": _(
        "Phone number %(value)s not stored: %(reason)s The person is registered."
    ),
    "numbering_row": _(
        "This row numbers the columns (1), (2), (3) …; it is not a person: skipped."
    ),
    "footer": _(
        "From this row on, the sheet holds a signature block or notes under the table "
        "(Mengetahui, Kepala Desa, NIP …), not persons: skipped."
    ),
    "review_rejected": _("This submission was refused in review (%(column)s: %(value)s): skipped."),
    "register_not_resident": _(
        "The population register says %(value)s (%(column)s): not a living resident of the "
        "village, skipped."
    ),
    "probably_abroad": _(
        "Registered as a resident; probably working abroad (%(hints)s). Confirm with the "
        "family and record the episode in the application."
    ),
    "candidate_without_country": _(
        "Registered as a calon PMI; the destination country is not yet known: complete it "
        "in the application."
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
    "checklist": _("Readiness checklist (Pasal 5 and 13)"),
    "passport_number": _("Passport number"),
    "register_status": _("Population register status"),
    "current_address": _("Current address"),
    "review_state": _("Review state (ODK/Kobo)"),
}
