from django.conf import settings


def site(request):
    return {"SITE_NAME": "GreenBridge", "LANGUAGES": settings.LANGUAGES}
