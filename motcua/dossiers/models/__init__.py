from motcua.dossiers.models.dossier import Dossier, DossierCodeSequence, DossierEvent
from motcua.dossiers.models.related import (
    Apology,
    CounterClosure,
    DossierDocument,
    DossierFile,
    Handover,
    Rating,
    RatingOfficial,
    SupplementWait,
)

__all__ = [
    "Apology",
    "CounterClosure",
    "Dossier",
    "DossierCodeSequence",
    "DossierDocument",
    "DossierEvent",
    "DossierFile",
    "Handover",
    "Rating",
    "RatingOfficial",
    "SupplementWait",
]
