"""Login throttling (django-axes): where a login comes from, and what a locked-out
person reads.

The address a lock applies to must be one a client cannot choose. ``REMOTE_ADDR``
is the address that opened the connection: right when the app is reached directly,
and the proxy's own address behind a proxy, which would lock everybody behind it at
once. Only when ``settings.BEHIND_PROXY`` says so is the address taken from the
proxy's header (``PROXY_CLIENT_IP_HEADER``): a client can send that header itself,
so believing it without a proxy that sets it would let anyone pick a new address
for every guess. Of ``X-Forwarded-For`` the last address counts, the one our proxy
added; the ones before it came from the client.
"""

import ipaddress
import math

from axes.helpers import get_cool_off
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

LOCKED_OUT_TEMPLATE = "registration/locked_out.html"


def client_ip_address(request: HttpRequest) -> str | None:
    """Return the client's address: ``REMOTE_ADDR``, or behind a proxy the last
    valid address of its header (``REMOTE_ADDR`` when the header has none)."""
    if settings.BEHIND_PROXY:
        header = "HTTP_" + settings.PROXY_CLIENT_IP_HEADER.upper().replace("-", "_")
        forwarded = request.META.get(header, "").rsplit(",", 1)[-1].strip()
        try:
            return str(ipaddress.ip_address(forwarded))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR")


def locked_out(request: HttpRequest, original_response=None, credentials=None):
    """Return the page that tells a locked-out person to wait (429 Too Many
    Requests), in the app's style, for the app's login and the admin's alike."""
    cool_off = get_cool_off(request)
    response: HttpResponse = render(
        request,
        LOCKED_OUT_TEMPLATE,
        {"minutes": math.ceil(cool_off.total_seconds() / 60)},
        status=429,
    )
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
