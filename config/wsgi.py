import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from motcua.core.leanpath import dispatcher  # noqa: E402 - needs the settings
from motcua.core.startup import refuse_insecure_start, warm_up  # noqa: E402 - needs the settings
from motcua.portal.fastpath import FastLookup  # noqa: E402 - needs the settings

refuse_insecure_start()
# Import every view (the URLconf), the translations and the templates now: with
# `gunicorn --preload` this runs once in the master and every worker is forked warm, instead of
# each worker spending its first requests importing (seconds on a loaded machine).
warm_up()
# The portal's anonymous look-up goes through a shorter middleware list (core/leanpath.py);
# one that finds its dossier is answered without Django's handler (portal/fastpath.py).
application = dispatcher(application, fast=FastLookup)
