"""`motcua import|export agencies|procedures`: the CSV formats of `interchange.md`.

Imports are all or nothing: the whole file is checked first and every problem is reported with
its row and column (`ImportFailed`); only a clean file is written, in one transaction, with one
audit row for the import.
"""

from motcua.catalog.interchange.agencies import export_agencies, import_agencies
from motcua.catalog.interchange.procedures import export_procedures, import_procedures

__all__ = ["export_agencies", "export_procedures", "import_agencies", "import_procedures"]
