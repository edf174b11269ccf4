"""The dossier API; its router is ``motcua.dossiers.api.endpoints.router``."""
