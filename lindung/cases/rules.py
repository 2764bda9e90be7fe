"""Pure rules of protection cases: comparing reported parties."""

import re
import unicodedata

# Legal-form words that do not tell two companies apart ("PT. Maju Jaya" = "Maju Jaya, PT").
_LEGAL_FORMS = frozenset({"pt", "cv", "ud", "tbk", "persero", "sdn", "bhd", "ltd", "co", "inc"})


def party_key(name: str) -> str:
    """A comparison key for a company or recruiter name: no case, accents, punctuation or
    legal-form words, so the same P3MI written two ways is counted once."""
    text = unicodedata.normalize("NFKD", name or "").casefold()
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"\b([a-z])\.(?=[a-z]\b)", r"\1", text)  # "p.t." -> "pt."
    words = re.findall(r"[a-z0-9]+", text)
    return " ".join(word for word in words if word not in _LEGAL_FORMS)
