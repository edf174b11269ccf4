import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from motcua.core.startup import refuse_insecure_start  # noqa: E402 - needs the settings

refuse_insecure_start()
