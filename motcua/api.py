"""The REST API (django-ninja). OpenAPI document at /api/docs."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Một Cửa API",
    version="1.0.0",
    urls_namespace="api",
    docs_url="/docs",
)
