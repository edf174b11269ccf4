"""Dossier import and export in the public CSV format of interchange.md."""

from motcua.dossiers.interchange.export import export_dossiers
from motcua.dossiers.interchange.importer import import_dossier_records, import_dossiers

__all__ = ["export_dossiers", "import_dossier_records", "import_dossiers"]
