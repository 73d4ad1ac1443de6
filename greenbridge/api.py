"""The JSON API under /api/v1/ (OpenAPI schema at /api/v1/openapi.json, docs at /api/v1/docs)."""

from ninja import NinjaAPI
from ninja.security import django_auth

from greenbridge.assessments.api import router as assessments_router
from greenbridge.helpdesk.api import router as helpdesk_router
from greenbridge.knowledge.api import router as knowledge_router
from greenbridge.market.api import router as market_router
from greenbridge.matching.api import router as matching_router
from greenbridge.partnering.api import router as partnering_router
from greenbridge.portfolio.api import router as portfolio_router
from greenbridge.reference.api import router as codes_router
from greenbridge.tenders.api import router as notices_router

api = NinjaAPI(
    title="GreenBridge API",
    version="1",
    description="Procurement notices for green SMEs. Read endpoints are public; "
    "endpoints with private data need a signed-in session.",
    urls_namespace="api",
)
api.add_router("/", notices_router)
api.add_router("/", codes_router)
api.add_router("/", matching_router)
api.add_router("/", partnering_router)
api.add_router("/", assessments_router)
api.add_router("/", portfolio_router)
api.add_router("/", helpdesk_router)
api.add_router("/", knowledge_router)
api.add_router("/", market_router)
__all__ = ["api", "django_auth"]
