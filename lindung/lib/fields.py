"""Model fields shared by the apps."""

from django.db import models


class AreaCodeField(models.CharField):
    """A dotted Kemendagri code ("18.11.01.2001").

    Scoping compares codes as byte strings (code >= '18.11.' AND code < '18.11/'), so on
    PostgreSQL the column uses the "C" collation: a locale collation that ignores punctuation
    would put '18.11/' before '18.11.01' and make the range scan wrong.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 13)
        super().__init__(*args, **kwargs)

    def db_parameters(self, connection):
        params = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            params["collation"] = "C"
        return params


# The length of a province's and a regency's code ("18", "18.11"): the start of the code of
# every area below it.
PROVINCE_CODE_WIDTH = 2
REGENCY_CODE_WIDTH = 5


def _leading_code(field: str, width: int) -> models.Func:
    """The code of `width` characters an area code column starts with, when the column holds
    that area or one below it; NULL for any other text (for a regency, "18.110")."""
    return models.Func(
        models.F(field),
        function="SUBSTR",
        template=(
            f"CASE WHEN %(function)s(%(expressions)s, {width + 1}, 1) IN ('', '.')"
            f" THEN %(function)s(%(expressions)s, 1, {width}) END"
        ),
    )


def regency_code(field: str) -> models.Func:
    """The regency's code of an area code column: "18.11" for "18.11" and for every code that
    starts with "18.11."; empty (NULL) for any other text, such as "18.110".

    So the rows whose `regency_code` is a regency's code are exactly the rows of its code range
    (`accounts.scoping`), whatever text the column holds. It is the first term of the indexes
    that serve a regency's lists in their own order, and of the filter that reads them
    (`regency_led`). The widths are written into the SQL, not bound: SQLite uses an index on an
    expression only for the same expression, and a bound parameter is not the index's
    constant. A plain `Func` with its template, so a migration holds the SQL itself, and a
    change to it here is a change makemigrations sees.
    """
    return _leading_code(field, REGENCY_CODE_WIDTH)


def province_code(field: str) -> models.Func:
    """The province's code of an area code column ("18" for "18" and every code that starts
    with "18."), as `regency_code` is the regency's (decision record 24: `province_led`)."""
    return _leading_code(field, PROVINCE_CODE_WIDTH)
