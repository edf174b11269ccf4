"""The kinds of file `motcua import` and `motcua export` know, and where each is handled."""

from __future__ import annotations

from dataclasses import dataclass

IMPORTERS = {
    "agencies": "motcua.catalog.interchange.import_agencies",
    "procedures": "motcua.catalog.interchange.import_procedures",
    "dossiers": "motcua.dossiers.interchange.import_dossiers",
}
EXPORTERS = {
    "agencies": "motcua.catalog.interchange.export_agencies",
    "procedures": "motcua.catalog.interchange.export_procedures",
    "dossiers": "motcua.dossiers.interchange.export_dossiers",
}


@dataclass
class ImportResult:
    """What an import did. An importer raises `ImportFailed` instead when anything is wrong."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"
