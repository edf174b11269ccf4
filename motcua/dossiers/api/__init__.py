from motcua.dossiers.api.endpoints import router

__all__ = ["router"]
