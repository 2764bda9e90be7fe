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


# The length of a regency's code ("18.11"): the start of the code of every area below it.
REGENCY_CODE_WIDTH = 5


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
    width = REGENCY_CODE_WIDTH
    return models.Func(
        models.F(field),
        function="SUBSTR",
        template=(
            f"CASE WHEN %(function)s(%(expressions)s, {width + 1}, 1) IN ('', '.')"
            f" THEN %(function)s(%(expressions)s, 1, {width}) END"
        ),
    )
