"""Creates the Dash app. ``server`` is the WSGI entry point: ``gunicorn app:server``."""

from __future__ import annotations

import logging

from dashboard.factory import create_app

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

app = create_app()
server = app.server

if __name__ == "__main__":
    from dashboard.config import CONFIG

    app.run(host=CONFIG.host, port=CONFIG.port, debug=CONFIG.debug)
