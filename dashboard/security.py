"""Security headers through flask-talisman: a Content-Security-Policy that allows only this site's code.

Scripts: ``'self'`` plus the SHA-256 hashes of Dash's inline scripts (its renderer start-up and the
clientside callbacks), computed by ``Dash.csp_hashes()`` once every page and callback is registered — no
inline script of anyone else's, and no ``'unsafe-eval'``.

What the dependencies need was found by loading the views with a stricter policy and recording every
``securitypolicyviolation`` (tests/integration/test_csp.py keeps checking that the policy below has none):

- No ``'unsafe-eval'``: nothing the atlas loads evaluates strings as code (no script-src violation).
- ``img-src data:`` — the QR code of presentation mode is a ``data:`` SVG; ``blob:`` — the map's download
  button (``Plotly.toImage``) draws the figure's SVG into an image through a ``blob:`` URL.
- ``style-src 'unsafe-inline'`` — ``<style>`` elements are injected at run time by AG Grid (25 per page
  load), dash-core-components (dropdowns, 21), dash-renderer, React DOM and Plotly.js, and Plotly.js sets
  ``style`` attributes through d3. Their contents are generated in the browser, so neither a hash nor a nonce
  can name them. Inline styles cannot run code, so scripts stay locked down.

``frame-ancestors`` comes from ``ATLAS_FRAME_ANCESTORS`` (embed mode), so no ``X-Frame-Options`` is sent: it
could only say "same origin" and would block the partners that embed the atlas.
"""

from __future__ import annotations

import threading

import dash
from flask_talisman import Talisman

from dashboard.config import CONFIG


def content_security_policy(script_hashes: list[str], *, frame_ancestors: str) -> dict:
    return {
        "default-src": "'self'",
        # Filled with 'self' and the hashes at the first request (see register); until then nothing runs.
        "script-src": [*script_hashes] or "'none'",
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "connect-src": "'self'",
        "worker-src": "'self'",
        "font-src": ["'self'", "data:"],
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": frame_ancestors,
    }


def register(app: dash.Dash) -> Talisman:
    """Security headers for every response; the script hashes are filled in at the first request, after Dash
    has registered its own last inline scripts (the pages title callback)."""
    policy = content_security_policy([], frame_ancestors=CONFIG.frame_ancestors)
    talisman = Talisman(app.server, force_https=False, strict_transport_security=False,
                        session_cookie_secure=False, frame_options=None, content_security_policy=policy,
                        referrer_policy="strict-origin-when-cross-origin")
    lock = threading.Lock()

    def add_script_hashes() -> None:
        with lock:
            if "'self'" in talisman.content_security_policy["script-src"]:
                return
            talisman.content_security_policy["script-src"] = ["'self'", *app.csp_hashes()]

    # Registered after Dash's own set-up hook, so it runs after it in the first request.
    app.server.before_request(add_script_hashes)
    return talisman
