"""The look-up's fast path (portal/fastpath.py) answers exactly as Django's lean handler does:
same status, same headers in the same order, same body (the masked CSRF tokens aside, which are
random by design and must unmask to the cookie's secret), the
same failed-look-up count, log line and metrics — over drawn look-ups: right and wrong ID numbers
and secrets, unknown codes, missing or wrong CSRF cookie and token, foreign origins, a blocked
client, another language; the clock is stopped for each pair (the cookie's expiry, Retry-After). Driven as gunicorn drives the application (a WSGI environ)."""

from __future__ import annotations

import logging
import re
import secrets

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.middleware.csrf import _mask_cipher_secret
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from prometheus_client import REGISTRY

from motcua.core import leanpath
from motcua.portal import fastpath, views
from motcua.portal import lookup as portal_lookup
from motcua.portal.models import LookupFailure
from motcua.portal.services import online_filing_submit
from motcua.portal.throttle import window_start
from tests.catalog.factories import AgencyFactory, ProcedureFactory
from tests.dossiers.factories import received_dossier
from tests.portal.test_lookup_lean import MASKED, call

pytestmark = pytest.mark.django_db
ID_NUMBER = "099111222333"
ADDRESS = "203.0.113.7"
UNKNOWN = "000.00.00.H99-991231-9999"


@pytest.fixture
def app():
    portal_lookup.forget_all()
    application = leanpath.dispatcher(WSGIHandler(), fast=fastpath.FastLookup)
    assert application.fast.enabled
    return application


@pytest.fixture
def found(settings, tmp_path):
    """A dossier received at the counter, and an online submission with its secret."""
    settings.MEDIA_ROOT = tmp_path
    dossier = received_dossier(applicant_id_number=ID_NUMBER, applicant_name="Vũ Thị Yến")
    procedure = ProcedureFactory(online_class="full")
    agency = AgencyFactory()
    procedure.agencies.add(agency)
    _filed, submission, secret = online_filing_submit(
        procedure=procedure,
        agency=agency,
        applicant={"applicant_name": "Trần Thị B", "applicant_id_number": "001090000002"},
        delivery_channel="counter",
        files={},
    )
    return {"code": dossier.code, "reference": submission.reference, "secret": secret}


def test_the_fast_path_is_on_with_the_projects_settings(settings):
    """A middleware added to the settings turns the fast path off: teach it to portal/fastpath.py
    (and to this test's comparison) first."""
    assert fastpath.chain_fits(leanpath.lean_middleware(settings.MIDDLEWARE))
    assert not fastpath.chain_fits([*fastpath.FAST_CHAIN, "some.new.Middleware"])


def environ_kwargs(draw_csrf: str, token: str) -> dict:
    """The form's token and the cookie for each way a browser (or a forger) may post."""
    if draw_csrf == "good":
        return {"form_token": token, "cookie": token}
    if draw_csrf == "masked":  # the token as the page gives it (masked), the cookie's secret
        return {"form_token": _mask_cipher_secret(token), "cookie": token}
    if draw_csrf == "no cookie":
        return {"form_token": token, "cookie": None}
    if draw_csrf == "no token":
        return {"form_token": None, "cookie": token}
    if draw_csrf == "bad cookie":
        return {"form_token": token, "cookie": "not-a-secret"}
    return {"form_token": secrets.token_hex(16), "cookie": token}  # another secret's token


def answer(handler, form, *, form_token, cookie, origin, language, blocked, settings):
    """One look-up through ``handler`` from a client whose failed look-ups are set first."""
    LookupFailure.objects.all().delete()
    if blocked:
        LookupFailure.objects.create(
            address=ADDRESS,
            window_start=window_start(at=timezone.now()),
            count=settings.MOTCUA_PORTAL_MAX_FAILURES,
        )
    fields = dict(form)
    if form_token is not None:
        fields = {"csrfmiddlewaretoken": form_token, **fields}
    cookies = {}
    if cookie is not None:
        cookies["csrftoken"] = cookie
    if language is not None:
        cookies[settings.LANGUAGE_COOKIE_NAME] = language
    extra = {"HTTP_X_REQUEST_ID": "req-1"}  # the same request id for both answers
    if origin is not None:
        extra["HTTP_ORIGIN"] = origin
    status, headers, body = call(handler, form=fields, cookies=cookies, address=ADDRESS,
                                 extra=extra)  # fmt: skip
    failures = list(LookupFailure.objects.values_list("address", "count"))
    return status, headers, body, failures


def comparable(answer, cookie_secret):
    """Everything but the masked CSRF tokens (checked to unmask to the cookie's secret), and a
    new CSRF secret when the browser had none (random: made by Django's ``get_token`` either way)."""
    from django.middleware.csrf import _unmask_cipher_token

    status, headers, body, failures = answer
    cookie = dict(headers).get("Set-Cookie", "")
    secret = re.search(r"csrftoken=([A-Za-z0-9]+)", cookie)
    for token in set(MASKED.findall(body)):
        assert secret and _unmask_cipher_token(token) == secret.group(1)
        if cookie_secret is not None and len(cookie_secret) == 32:
            assert secret.group(1) == cookie_secret
    if cookie_secret is None or len(cookie_secret) != 32:  # a new secret, made by Django
        headers = [(n, re.sub(r"csrftoken=[A-Za-z0-9]+", "…", v)) for n, v in headers]
    return status, headers, MASKED.sub("…", body), failures


def metric_samples():
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in REGISTRY.collect()
        if family.name.startswith("django_http")
        for s in family.samples
        if not s.name.endswith(("_created", "_sum", "_bucket"))
    }


def metric_changes(before, after):
    return {key: value - before.get(key, 0) for key, value in after.items()
            if value != before.get(key, 0)}  # fmt: skip


@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    which=st.sampled_from(["dossier", "dossier lower-case", "submission", "unknown"]),
    proof=st.sampled_from(["right", "right with spaces", "wrong", "empty"]),
    csrf=st.sampled_from(["good", "masked", "no cookie", "no token", "bad cookie", "other"]),
    origin=st.sampled_from([None, "same", "https://evil.example"]),
    language=st.sampled_from([None, "en", "vi", "xx"]),
    blocked=st.booleans(),
    replica=st.booleans(),
)
def test_the_fast_answer_is_the_lean_handlers(
    app, found, settings, monkeypatch, caplog, time_machine, which, proof, csrf, origin,
    language, blocked, replica,
):  # fmt: skip
    # The clock stopped: the cookie's expiry and a 429's Retry-After are the same for both.
    time_machine.move_to(timezone.now(), tick=False)
    if not replica:
        monkeypatch.setattr(views, "replica_configured", lambda: False)
    code = {"dossier": found["code"], "dossier lower-case": found["code"].lower(),
            "submission": found["reference"], "unknown": UNKNOWN}[which]  # fmt: skip
    right = found["secret"] if which == "submission" else ID_NUMBER
    typed = {"right": right, "right with spaces": f" {right[:4]} {right[4:]} ",
             "wrong": "001090000999", "empty": ""}[proof]  # fmt: skip
    form = {"code": code, "id_number": typed}
    token = secrets.token_hex(16)
    kwargs = environ_kwargs(csrf, token)
    kwargs["origin"] = "http://testserver" if origin == "same" else origin
    handed_back: list[int] = []
    plain = app.lean
    app.fast.lean = lambda *a: handed_back.append(1) or plain(*a)
    answers, logs, metrics = [], [], []
    try:
        for handler in (app.fast, plain):
            before = metric_samples()
            caplog.clear()
            with caplog.at_level(logging.INFO, logger="motcua.request"):
                answers.append(
                    answer(handler, form, language=language, blocked=blocked, settings=settings,
                           **kwargs)
                )  # fmt: skip
            logs.append([(r.getMessage(), r.route, r.view, r.status) for r in caplog.records
                         if r.name == "motcua.request"])  # fmt: skip
            metrics.append(metric_changes(before, metric_samples()))
    finally:
        app.fast.lean = plain
    fast, lean = (comparable(a, kwargs["cookie"]) for a in answers)
    assert fast == lean
    assert logs[0] == logs[1] and len(logs[0]) == 1
    assert metrics[0] == metrics[1]
    # The answers themselves: found only with the right proof, CSRF passed and not blocked.
    status, _headers, body, _failures = answers[0]
    csrf_ok = csrf in ("good", "masked") and origin != "https://evil.example"
    if not csrf_ok:
        assert status == 403 and handed_back == [1]
    elif blocked and proof != "empty":
        assert status == 429 and 'id="lookup-result"' not in body
    elif which != "unknown" and (
        proof == "right" or proof == "right with spaces" and which != "submission"
    ):  # a secret is not an ID number: no inner spaces
        assert status == 200 and 'id="lookup-result"' in body
        assert handed_back == []  # answered by the fast path itself
    else:
        assert 'id="lookup-result"' not in body


def test_the_fast_path_answers_a_found_lookup_itself_and_hands_back_the_rest(
    app, found, monkeypatch
):
    """Found: answered without the lean handler; a miss: handed back once (counted once)."""
    served = []
    lean = app.fast.lean
    monkeypatch.setattr(app.fast, "lean", lambda *a: served.append(1) or lean(*a))
    token = secrets.token_hex(16)
    form = {"csrfmiddlewaretoken": token, "code": found["code"], "id_number": ID_NUMBER}
    status, _h, body = call(app, form=form, cookies={"csrftoken": token})
    assert status == 200 and 'id="lookup-result"' in body and served == []
    # The first answer's headers are learnt (portal/fastanswer.py); the next one uses them.
    assert app.fast.known[("vi", False)] is not None
    again = call(app, form=form, cookies={"csrftoken": token})
    assert again[0] == 200 and [n for n, _v in again[1]] == [n for n, _v in _h] and served == []
    form["id_number"] = "001090000999"
    status, _h, body = call(app, form=form, cookies={"csrftoken": token})
    assert status == 200 and 'id="not-found"' in body and served == [1]
    assert LookupFailure.objects.get().count == 1


@hypothesis_settings(max_examples=300, deadline=None)
@given(
    code=st.one_of(st.text(max_size=70), st.sampled_from(["", " ", "000.00.00.H23-261123-0001"])),
    proof=st.one_of(
        st.text(max_size=45),
        st.text(alphabet="0123456789 ", max_size=14),
        st.sampled_from(["001090000001", " 0010 9000 0001 ", "\x00", "a\tb"]),
    ),
    omit=st.sampled_from([None, "code", "id_number"]),
)
def test_the_fast_paths_form_cleans_as_the_views(code, proof, omit):
    """The shared-fields copy of ``LookupForm`` (``FastLookup._validated``) accepts exactly what
    the view's form accepts, with the same cleaned values (control characters, lengths, blanks,
    ID numbers written with spaces)."""
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    for name, value in (("code", code), ("id_number", proof)):
        if name != omit:
            data[name] = value
    fast = fastpath.FastLookup.__new__(fastpath.FastLookup)
    fast.form = views.LookupForm()
    form = views.LookupForm(data)
    expected = form.cleaned_data if form.is_valid() else None
    assert fast._validated(data) == expected
    assert fast._validated(data) == expected  # the shared form is left as it was
